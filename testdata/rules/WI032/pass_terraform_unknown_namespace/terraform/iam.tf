resource "google_service_account_iam_member" "web" {
  service_account_id = "projects/acme-prod/serviceAccounts/web-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:acme-prod.svc.id.goog[${var.namespace}/web]"
}

resource "google_service_account_iam_member" "exact" {
  service_account_id = "projects/acme-prod/serviceAccounts/web-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:acme-prod.svc.id.goog[payments/web]"
}
