#!/bin/bash
# A script grants the KSA the wrong role on its GSA.
PROJECT=acme-prod
gcloud iam service-accounts add-iam-policy-binding "app@${PROJECT}.iam.gserviceaccount.com" \
  --member="serviceAccount:${PROJECT}.svc.id.goog[payments/app]" \
  --role=roles/iam.serviceAccountUser # expect: WI023
