#!/bin/bash
# The member is a bare e-mail or pool identity: gcloud refuses the binding.
gcloud iam service-accounts add-iam-policy-binding app@acme-prod.iam.gserviceaccount.com \
  --role=roles/iam.workloadIdentityUser \
  --member="acme-prod.svc.id.goog[payments/app]" # expect: WI071
gcloud projects add-iam-policy-binding acme-prod \
  --role=roles/storage.objectViewer \
  --member app@acme-prod.iam.gserviceaccount.com # expect: WI071
