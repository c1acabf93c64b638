# Terraform: the same mistake as this rule's YAML fixtures, in HCL.
resource "google_project_iam_member" "wi" { # expect: WI024
  project = "acme-prod"
  role    = "roles/iam.workloadIdentityUser"
  member  = "serviceAccount:acme-prod.svc.id.goog[team/app]"
}
