# With `project-id` configured, a member in another project's pool is an error.
# fixture-config: project-id = "acme-prod"
resource "google_service_account_iam_member" "wi" {
  service_account_id = "projects/acme-prod/serviceAccounts/app-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:acme-staging.svc.id.goog[apps/app]" # expect: WI028
}
