resource "google_project_iam_member" "viewer" {
  project = "acme-prod"
  role    = "roles/storage.objectViewer"
  member  = "principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/acme-prod.svc.id.goog/namespace/team"
}
