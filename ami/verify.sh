#!/usr/bin/env bash
# Check a booted instance of the baked image: GPU on the host, GPU inside a CUDA container started
# WITHOUT --runtime/--gpus (default runtime nvidia), the ECS agent's GPU inventory, and a writable
# results mount. Exits 0 when everything passes, 1 listing every failure, 2 on bad usage.
#
#   verify.sh [--cuda-image IMAGE] [--mount-point /storage] [--no-agent] [--no-inventory] [--root DIR]
set -euo pipefail

PROG=verify.sh
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

CUDA_IMAGE=nvidia/cuda:12.8.1-base-ubuntu24.04
MOUNT_POINT=/storage
CHECK_AGENT=1
CHECK_INVENTORY=1
TIMEOUT=${VERIFY_TIMEOUT:-300}

usage() {
  cat <<EOF
usage: verify.sh [options]

  --cuda-image IMAGE   image for the in-container check (default $CUDA_IMAGE)
  --mount-point DIR    results mount to check (default $MOUNT_POINT)
  --no-agent           skip the ECS agent introspection check (instance not registered)
  --no-inventory       skip the GPU inventory file check (build instance: ecs-init has not run)
  --root DIR           resolve file paths under DIR (tests)
EOF
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --cuda-image) [[ $# -ge 2 && -n $2 ]] || die 2 "--cuda-image needs a value"; CUDA_IMAGE=$2; shift 2 ;;
    --mount-point) [[ $# -ge 2 && -n $2 ]] || die 2 "--mount-point needs a value"; MOUNT_POINT=$2; shift 2 ;;
    --no-agent) CHECK_AGENT=0; shift ;;
    --no-inventory) CHECK_INVENTORY=0; shift ;;
    --root) [[ $# -ge 2 ]] || die 2 "--root needs a directory"; set_root "$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die 2 "unknown argument: $1" ;;
  esac
done

FAILURES=()
pass() { say "ok:   $*"; }
fail() {
  say "FAIL: $*"
  FAILURES+=("$*")
}

# 1. host GPU
host_gpus=0
if out=$(timeout 60 nvidia-smi -L 2>&1) && grep -q '^GPU ' <<<"$out"; then
  host_gpus=$(grep -c '^GPU ' <<<"$out")
  pass "nvidia-smi on the host: $host_gpus GPU(s)"
else
  fail "nvidia-smi on the host failed: $(head -n 3 <<<"${out:-}" | tr '\n' ' ')"
fi

# 2. docker default runtime + GPU inside a container started without --runtime / --gpus
if rt=$(timeout 60 docker info --format '{{.DefaultRuntime}}' 2>/dev/null) && [[ $rt == nvidia ]]; then
  pass "docker default runtime is nvidia"
else
  fail "docker default runtime is '${rt:-unknown}', expected nvidia"
fi
if out=$(timeout "$TIMEOUT" docker run --rm "$CUDA_IMAGE" nvidia-smi -L 2>&1) && grep -q '^GPU ' <<<"$out"; then
  pass "nvidia-smi in $CUDA_IMAGE without --runtime: $(grep -c '^GPU ' <<<"$out") GPU(s)"
else
  fail "nvidia-smi in a container without --runtime failed: $(tail -n 3 <<<"${out:-}" | tr '\n' ' ')"
fi

# 3. ECS agent configuration and GPU inventory
cfg=$(p /etc/ecs/ecs.config)
for kv in ECS_ENABLE_GPU_SUPPORT=true ECS_NVIDIA_RUNTIME=nvidia; do
  if grep -qsxF "$kv" "$cfg"; then pass "ecs.config: $kv"; else fail "ecs.config lacks $kv"; fi
done
info=$(p /var/lib/ecs/gpu/nvidia-gpu-info.json)
if ((!CHECK_INVENTORY)); then
  say "skip: ECS GPU inventory (--no-inventory)"
elif [[ ! -s $info ]]; then
  fail "ECS GPU inventory $info is missing: the agent will not advertise GPUs"
elif ! n=$(jq -e '.GPUIDs | length' "$info" 2>/dev/null) || [[ $n -lt 1 ]]; then
  fail "ECS GPU inventory $info has no GPUIDs"
elif ((host_gpus > 0 && n != host_gpus)); then
  fail "ECS GPU inventory lists $n GPU(s), nvidia-smi shows $host_gpus"
else
  pass "ECS GPU inventory: $n GPU(s), driver $(jq -r '.DriverVersion // "?"' "$info")"
fi
if ((CHECK_AGENT)); then
  # Introspection API of the agent (localhost only).
  if meta=$(curl -fsS --max-time 10 http://localhost:51678/v1/metadata 2>/dev/null) &&
    arn=$(jq -er '.ContainerInstanceArn' <<<"$meta" 2>/dev/null); then
    pass "ECS agent registered: $arn"
  else
    fail "ECS agent introspection (localhost:51678/v1/metadata) did not answer with a container instance"
  fi
fi

# 4. results mount writable
mp=$(p "$MOUNT_POINT")
if ! mountpoint -q "$mp" 2>/dev/null; then
  fail "$MOUNT_POINT is not mounted"
else
  probe="$mp/.sweep-verify.$$"
  if printf 'sweep verify\n' >"$probe" 2>/dev/null && [[ $(cat "$probe" 2>/dev/null) == "sweep verify" ]]; then
    pass "$MOUNT_POINT is mounted and writable"
  else
    fail "$MOUNT_POINT is mounted but not writable"
  fi
  rm -f "$probe" 2>/dev/null || true
fi

if ((${#FAILURES[@]})); then
  say "$PROG: ${#FAILURES[@]} check(s) failed:"
  printf '  - %s\n' "${FAILURES[@]}"
  exit 1
fi
say "$PROG: all checks passed"
