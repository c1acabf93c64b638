# Terraform: the same mistake as this rule's YAML fixtures, in HCL.
resource "google_service_account_iam_member" "wi" {
  service_account_id = "projects/acme-prod/serviceAccounts/123456789012-compute@developer.gserviceaccount.com" # expect: WI007
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:acme-prod.svc.id.goog[team/app]"
}
