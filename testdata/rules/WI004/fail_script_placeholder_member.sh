#!/bin/bash
# A script is run as written: a guide's placeholder left in it is granted literally.
gcloud iam service-accounts add-iam-policy-binding app@acme-prod.iam.gserviceaccount.com \
  --role=roles/iam.workloadIdentityUser \
  --member="serviceAccount:acme-prod.svc.id.goog[NAMESPACE/app]" # expect: WI004
