#!/bin/bash
gcloud container clusters create prod --location=europe-west1 \
  --workload-pool=acme-prod.svc.id.goog
gcloud container node-pools create batch --cluster=prod --location=europe-west1 \
  --workload-metadata=GKE_METADATA
# A pool of a cluster this script does not create is no evidence.
gcloud container node-pools create other --cluster=elsewhere --workload-metadata=GCE_METADATA
