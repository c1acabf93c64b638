# Terraform: the same mistake as this rule's YAML fixtures, in HCL.
resource "google_project_iam_member" "reader" {
  project = "acme-prod"
  role    = "roles/storage.objectViewer"
  member  = "principal://iam.googleapis.com/projects/acme-prod/locations/global/workloadIdentityPools/acme-prod.svc.id.goog/subject/ns/team/sa/app" # expect: WI021
}
