resource "google_service_account_iam_member" "wi" {
  service_account_id = "projects/acme-prod/serviceAccounts/app-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:acme-prod.svc.id.goog[team/app]"
}

# Other roles on the project are not impersonation.
resource "google_project_iam_member" "logs" {
  project = "acme-prod"
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:acme-prod.svc.id.goog[team/app]"
}
