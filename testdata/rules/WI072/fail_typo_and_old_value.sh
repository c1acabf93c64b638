#!/bin/bash
# GKE_METADATA_SERVER is the value of the deprecated --workload-metadata-from-node, and
# GKE_METADATA_SEVER is a typo: gcloud refuses both, and the pool keeps its metadata mode.
gcloud container node-pools update default-pool --cluster=prod --location=europe-west1 \
  --workload-metadata=GKE_METADATA_SERVER # expect: WI072
gcloud beta container node-pools create pool-b --cluster=prod --location=europe-west1 \
  --workload-metadata-from-node=GKE_METADATA_SEVER # expect: WI072
