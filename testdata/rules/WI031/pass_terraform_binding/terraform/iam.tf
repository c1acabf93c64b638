resource "google_service_account_iam_binding" "web" {
  service_account_id = "projects/acme-prod/serviceAccounts/web-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  members = [
    "serviceAccount:acme-prod.svc.id.goog[payments/api]", # expect: WI032
    # Unknown: it may be this KSA's member.
    var.extra_member,
  ]
}

# A _member is additive: its silence proves nothing.
resource "google_service_account_iam_member" "viewer" {
  service_account_id = "projects/acme-prod/serviceAccounts/web-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.serviceAccountUser"
  member             = "user:dev@example.com"
}
