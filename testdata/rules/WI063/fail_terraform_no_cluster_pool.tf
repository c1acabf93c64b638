# Terraform: GKE_METADATA on a pool whose cluster has no workload pool.
resource "google_container_cluster" "primary" {
  name = "primary"
}

resource "google_container_node_pool" "apps" {
  name    = "apps"
  cluster = google_container_cluster.primary.id
  node_config {
    workload_metadata_config {
      mode = "GKE_METADATA" # expect: WI063
    }
  }
}
