variable "project_id" {}

resource "google_container_cluster" "standard" {
  name     = "standard"
  location = "europe-west1"
  workload_identity_config {
    workload_pool = "${var.project_id}.svc.id.goog"
  }
}

resource "google_container_cluster" "autopilot" {
  name             = "autopilot"
  location         = "europe-west1"
  enable_autopilot = true
}

# Whether it is Autopilot the configuration leaves to a variable: unknown.
resource "google_container_cluster" "either" {
  name             = "either"
  location         = "europe-west1"
  enable_autopilot = var.autopilot
}
