resource "google_service_account_iam_member" "web" {
  service_account_id = "projects/acme-prod/serviceAccounts/web-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:acme-prod.svc.id.goog[payment/web]" # expect: WI032
}
