variable "role" {
  default = "roles/iam.workloadIdentityUser"
}

resource "google_service_account_iam_member" "wi" {
  service_account_id = "projects/acme-prod/serviceAccounts/app-gsa@acme-prod.iam.gserviceaccount.com"
  role               = var.role
  member             = "serviceAccount:acme-prod.svc.id.goog[team/app]"
}

# A role the configuration does not state is not a wrong role.
resource "google_service_account_iam_member" "unknown" {
  service_account_id = "projects/acme-prod/serviceAccounts/app-gsa@acme-prod.iam.gserviceaccount.com"
  role               = var.unset_role
  member             = "serviceAccount:acme-prod.svc.id.goog[team/app]"
}
