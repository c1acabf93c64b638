variable "project_id" {}

resource "google_service_account_iam_member" "web" {
  service_account_id = "projects/acme-prod/serviceAccounts/web-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project_id}.svc.id.goog[payments/web]"
}
