# Terraform: a Standard cluster without workload_identity_config.
resource "google_container_cluster" "primary" { # expect: WI060
  name     = "primary"
  location = "europe-west1"
}
