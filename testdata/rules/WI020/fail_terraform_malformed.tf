# Terraform: the same mistake as this rule's YAML fixtures, in HCL.
resource "google_service_account_iam_binding" "wi" {
  service_account_id = "projects/acme-prod/serviceAccounts/app-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  members = [
    "serviceAccount:acme-prod.svc.goog.id[team/app]", # expect: WI020
    "serviceAccount:acme-prod.svc.id.goog[team:app]", # expect: WI020
  ]
}
