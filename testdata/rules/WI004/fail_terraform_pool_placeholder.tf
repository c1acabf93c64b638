# Terraform: a placeholder left in a literal workload pool.
resource "google_container_cluster" "primary" {
  name = "primary"
  workload_identity_config {
    workload_pool = "PROJECT_ID.svc.id.goog" # expect: WI004
  }
}
