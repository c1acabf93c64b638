# Terraform: the same mistake as this rule's YAML fixtures, in HCL.
resource "google_service_account_iam_member" "wi" {
  service_account_id = "projects/acme-prod/serviceAccounts/app-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:1project.svc.id.goog[team/app]" # expect: WI006
}
