#!/bin/bash
gcloud container clusters create prod --location=europe-west1
gcloud container node-pools create batch --cluster=prod --location=europe-west1 \
  --workload-metadata=GKE_METADATA # expect: WI063
