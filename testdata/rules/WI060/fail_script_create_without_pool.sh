#!/bin/bash
# A Standard cluster created without --workload-pool.
gcloud container clusters create prod --location=europe-west1 --num-nodes=3 # expect: WI060
