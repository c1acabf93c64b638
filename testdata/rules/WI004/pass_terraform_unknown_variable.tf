# A variable without a value is unknown, not a placeholder left in the text.
variable "project_id" {}

resource "google_service_account_iam_member" "wi" {
  service_account_id = "projects/acme-prod/serviceAccounts/app-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project_id}.svc.id.goog[payments/web]"
}
