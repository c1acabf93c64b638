resource "google_container_cluster" "primary" {
  name    = "primary"
  project = "acme-prod"
  workload_identity_config {
    workload_pool = "acme-prod.svc.id.goog"
  }
}

resource "google_container_cluster" "unknown" {
  name = "unknown"
  workload_identity_config {
    workload_pool = "${var.project_id}.svc.id.goog"
  }
}
