resource "google_service_account" "web" {
  account_id = "web-gsa"
  project    = "acme-prod"
}

resource "google_service_account_iam_member" "web" {
  service_account_id = google_service_account.web.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:acme-prod.svc.id.goog[payments/web]"
}

# Another namespace, whose name the configuration leaves unknown: no KSA to check.
resource "google_service_account_iam_member" "other" {
  service_account_id = google_service_account.web.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:acme-prod.svc.id.goog[${var.ns}/web]"
}
