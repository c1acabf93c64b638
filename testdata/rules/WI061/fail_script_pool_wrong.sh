#!/bin/bash
gcloud container clusters create prod --location=europe-west1 \
  --workload-pool=acme-prod.svc.goog # expect: WI061
