locals {
  pool = "acme-prod.svc.id.goog"
}

resource "google_service_account_iam_binding" "wi" {
  service_account_id = "projects/acme-prod/serviceAccounts/app-gsa@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  members = [
    "serviceAccount:${local.pool}[team/app]",
    # Unknown parts: never a malformed member.
    "serviceAccount:${var.project_id}.svc.id.goog[${var.namespace}/${var.ksa}]",
    var.more_members,
  ]
}
