resource "google_project_iam_member" "reader" {
  project = "acme-prod"
  role    = "roles/storage.objectViewer"
  member  = "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/acme-prod.svc.id.goog/subject/ns/team/sa/app"
}

resource "google_project_iam_member" "unknown_number" {
  project = "acme-prod"
  role    = "roles/storage.objectViewer"
  member  = "principal://iam.googleapis.com/projects/${var.project_number}/locations/global/workloadIdentityPools/acme-prod.svc.id.goog/subject/ns/team/sa/app"
}
