resource "google_container_cluster" "primary" {
  name = "primary"
  workload_identity_config {
    workload_pool = "acme-prod.svc.id.goog"
  }
}

resource "google_container_node_pool" "apps" {
  name    = "apps"
  cluster = google_container_cluster.primary.id
  node_config {
    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }
}

# Its cluster is not in the input: nothing to compare.
resource "google_container_node_pool" "elsewhere" {
  name    = "elsewhere"
  cluster = var.cluster_id
  node_config {
    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }
}
