# Terraform: a node pool of a Workload Identity cluster that exposes the node's metadata.
resource "google_container_cluster" "primary" {
  name = "primary"
  workload_identity_config {
    workload_pool = "acme-prod.svc.id.goog"
  }
  node_pool {
    name = "inline"
    node_config {
      workload_metadata_config {
        mode = "GCE_METADATA" # expect: WI062
      }
    }
  }
}

resource "google_container_node_pool" "batch" {
  name    = "batch"
  cluster = google_container_cluster.primary.id
  node_config {
    workload_metadata_config {
      mode = "GCE_METADATA" # expect: WI062
    }
  }
}
