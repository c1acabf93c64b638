resource "google_container_cluster" "primary" {
  name = "primary"
  workload_identity_config {
    workload_pool = "acme-prod.svc.id.goog"
  }
}

resource "google_container_node_pool" "apps" {
  name    = "apps"
  cluster = google_container_cluster.primary.name
  node_config {
    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }
}

# A mode the configuration leaves to a variable says nothing.
resource "google_container_node_pool" "other" {
  name    = "other"
  cluster = google_container_cluster.primary.id
  node_config {
    workload_metadata_config {
      mode = var.mode
    }
  }
}
