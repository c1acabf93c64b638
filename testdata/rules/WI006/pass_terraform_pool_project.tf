variable "project" {
  default = "acme-prod"
}

resource "google_service_account_iam_member" "wi" {
  service_account_id = "projects/acme-prod/serviceAccounts/app-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project}.svc.id.goog[team/app]"
}

# Unknown: no project ID to judge.
resource "google_service_account_iam_member" "unknown" {
  service_account_id = "projects/acme-prod/serviceAccounts/app-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.other}.svc.id.goog[team/app]"
}
