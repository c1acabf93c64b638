#!/bin/bash
MODE="${1:-GKE_METADATA}"
gcloud container node-pools update default-pool --cluster=prod --location=europe-west1 \
  --workload-metadata=GKE_METADATA
gcloud container node-pools update pool-b --cluster=prod --location=europe-west1 \
  --workload-metadata="$MODE"
gcloud container node-pools update pool-c --cluster=prod --location=europe-west1 \
  --workload-metadata=gke_metadata
