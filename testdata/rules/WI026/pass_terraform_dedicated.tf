resource "google_service_account_iam_member" "wi" {
  service_account_id = "projects/acme-prod/serviceAccounts/app-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project_id}.svc.id.goog[payments/web]"
}
