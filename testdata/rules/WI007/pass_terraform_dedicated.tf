resource "google_service_account" "app" {
  account_id = "app-gsa"
  project    = "acme-prod"
}

resource "google_service_account_iam_member" "wi" {
  service_account_id = google_service_account.app.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:acme-prod.svc.id.goog[team/app]"
}
