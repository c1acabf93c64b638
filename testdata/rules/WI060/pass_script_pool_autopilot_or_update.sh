#!/bin/bash
PROJECT_ID=acme-prod
gcloud container clusters create prod --location=europe-west1 \
  --workload-pool="${PROJECT_ID}.svc.id.goog"
gcloud container clusters create-auto edge --location=europe-west1
# Created without, then updated in the same script.
gcloud container clusters create batch --location=europe-west1
gcloud container clusters update batch --location=europe-west1 \
  --workload-pool="${PROJECT_ID}.svc.id.goog"
