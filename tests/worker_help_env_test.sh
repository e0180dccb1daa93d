#!/usr/bin/env bash
# `sweep-worker --help` lists every environment variable the worker's code reads: each
# AWS_*, SWEEP_*, SLURM_*, Google and Vertex AI name spelled in the rooms the worker links (and the other job-array
# index variables) must appear in the help text. cloud/aws/lambda_runtime_api.* is left out: the
# Lambda Runtime API client is called only by `sweep serve` (its object never enters the worker).
source "$(dirname "$0")/lib.sh"
"$SWEEP_WORKER" --help > "$T/help"
cd "$SWEEP_SOURCE_DIR"
names=$(grep -rhoE '"(AWS|SWEEP|SLURM|GOOGLE|GCE|AIP|CLOUD_ML)_[A-Z0-9_]*[A-Z0-9]"|"(JOB_COMPLETION_INDEX|BATCH_TASK_INDEX|XDG_CACHE_HOME|STORAGE_EMULATOR_HOST|CLOUDSDK_CONFIG)"' \
          worker sweep/spec storage data model base cloud --include='*.cc' --include='*.h' \
          --exclude='*_test.cc' --exclude='lambda_runtime_api.*' | tr -d '"' | sort -u)
[[ $(wc -w <<< "$names") -gt 20 ]] || fail "found only: $names"
missing=()
for n in $names; do grep -q "\b$n\b" "$T/help" || missing+=("$n"); done
((${#missing[@]} == 0)) || fail "not in sweep-worker --help: ${missing[*]}"
pass "sweep-worker --help names all $(wc -w <<< "$names") environment variables it reads"
