variable "project_id" {}

resource "google_service_account" "web" {
  account_id = "web-gsa"
  project    = var.project_id
}

resource "google_service_account_iam_member" "web" {
  service_account_id = google_service_account.web.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project_id}.svc.id.goog[payments/web]"
}
