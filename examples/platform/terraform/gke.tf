# The prod-eu cluster and its node pools. The batch pool was created before Workload
# Identity and still exposes the node's metadata server to its pods.
variable "project_id" {
  default = "acme-prod"
}

resource "google_container_cluster" "prod_eu" {
  name     = "prod-eu"
  project  = var.project_id
  location = "europe-west1"

  workload_identity_config {
    workload_pool = "${var.project_id}.svc.id.goog"
  }
}

resource "google_container_node_pool" "apps" {
  name    = "apps"
  cluster = google_container_cluster.prod_eu.id
  node_config {
    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }
}

resource "google_container_node_pool" "batch" {
  name    = "batch"
  cluster = google_container_cluster.prod_eu.id
  node_config {
    workload_metadata_config {
      mode = "GCE_METADATA"
    }
  }
}
