# Terraform: the same mistake as this rule's YAML fixtures, in HCL.
resource "google_project_iam_member" "editor" {
  project = "acme-prod"
  role    = "roles/editor"
  member  = "principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/acme-prod.svc.id.goog/namespace/team" # expect: WI027
}
