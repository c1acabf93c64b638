#!/bin/bash
gcloud container clusters create prod --location=europe-west1 \
  --workload-pool=acme-prod.svc.id.goog
gcloud container clusters create dev --location=europe-west1 \
  --workload-pool="$(gcloud config get-value project).svc.id.goog"
