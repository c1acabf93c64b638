# Suppressions in Terraform comments, `#` and `//`, with the YAML syntax and semantics.
resource "google_service_account_iam_member" "signer" {
  service_account_id = "projects/acme-prod/serviceAccounts/app-gsa@acme-prod.iam.gserviceaccount.com"
  # wilint: ignore WI023 -- the batch signer needs signBlob
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:acme-prod.svc.id.goog[team/app]"
}

resource "google_service_account_iam_member" "legacy" {
  service_account_id = "projects/acme-prod/serviceAccounts/app-gsa@acme-prod.iam.gserviceaccount.com"
  // wilint: ignore WI023 until=2099-01-01 -- removed with the legacy job
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:acme-prod.svc.id.goog[team/app]"
}
