# The Google half of the payments identity: the GSA and who may impersonate it.
resource "google_service_account" "payments" {
  account_id = "payments-gsa"
  project    = var.project_id
}

# Meant to let payments/payments-api act as the GSA, but serviceAccountUser does not allow
# minting tokens: the pods get "Permission 'iam.serviceAccounts.getAccessToken' denied".
resource "google_service_account_iam_member" "payments_api" {
  service_account_id = google_service_account.payments.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${var.project_id}.svc.id.goog[payments/payments-api]"
}

