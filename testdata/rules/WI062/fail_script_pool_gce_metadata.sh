#!/bin/bash
gcloud container clusters create prod --location=europe-west1 \
  --workload-pool=acme-prod.svc.id.goog
gcloud container node-pools create batch --cluster=prod --location=europe-west1 \
  --workload-metadata=GCE_METADATA # expect: WI062
