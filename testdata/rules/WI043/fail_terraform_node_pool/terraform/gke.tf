resource "google_container_cluster" "primary" {
  name = "primary"
  workload_identity_config {
    workload_pool = "acme-prod.svc.id.goog"
  }
}

resource "google_container_node_pool" "legacy" {
  name    = "legacy"
  cluster = google_container_cluster.primary.id
  node_config {
    workload_metadata_config {
      mode = "GCE_METADATA" # expect: WI062
    }
  }
}
