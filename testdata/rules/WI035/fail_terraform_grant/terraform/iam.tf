# A grant to a KSA of the namespace, in the project's known pool: the namespace uses
# Workload Identity, wherever the grant is written.
resource "google_service_account_iam_member" "web" {
  service_account_id = "projects/acme-prod/serviceAccounts/web-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:acme-prod.svc.id.goog[payments/web]"
}
