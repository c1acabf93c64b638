# A _binding states every member of its role: this KSA is not among them.
resource "google_service_account_iam_binding" "web" {
  service_account_id = "projects/acme-prod/serviceAccounts/web-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  members = [
    "serviceAccount:acme-prod.svc.id.goog[payments/api]", # expect: WI032
  ]
}
