# Terraform: a pool that is not a project pool, and the deprecated identity_namespace.
resource "google_container_cluster" "primary" {
  name    = "primary"
  project = "acme-prod"
  workload_identity_config {
    workload_pool = "acme-staging.svc.id.goog" # expect: WI061
  }
}

resource "google_container_cluster" "old" {
  name = "old"
  workload_identity_config {
    identity_namespace = "acme-prod.svc.id.goog" # expect: WI061
  }
}
