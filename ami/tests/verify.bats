#!/usr/bin/env bats
# verify.sh against a fake root with stub commands.

load helpers

# A booted instance of a good image.
good_instance() {
  al2023_root
  touch "$STUB_STATE/gpu" "$STUB_STATE/agent"
  printf 'ECS_ENABLE_GPU_SUPPORT=true\nECS_NVIDIA_RUNTIME=nvidia\n' >"$R/etc/ecs/ecs.config"
  mkdir -p "$R/var/lib/ecs/gpu" "$R/storage"
  echo '{"DriverVersion":"580.95.05","GPUIDs":["GPU-11111111-2222-3333-4444-555555555555"]}' \
    >"$R/var/lib/ecs/gpu/nvidia-gpu-info.json"
  echo "$R/storage" >"$STUB_STATE/mounts"
}

@test "verify passes on a good instance" {
  good_instance
  verify_run
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"all checks passed"* ]]
  grep -qx 'docker run --rm nvidia/cuda:12.8.1-base-ubuntu24.04 nvidia-smi -L' "$STUB_LOG"
  not grep -q -- '--runtime' "$STUB_LOG"
  not grep -q -- '--gpus' "$STUB_LOG"
  [ -z "$(ls -A "$R/storage")" ]
}

@test "verify lists every failure and exits non-zero" {
  good_instance
  rm "$STUB_STATE/gpu" "$STUB_STATE/agent" "$R/var/lib/ecs/gpu/nvidia-gpu-info.json"
  : >"$STUB_STATE/mounts"
  export STUB_DOCKER_RUNTIME=runc
  verify_run
  echo "$output"
  [ "$status" -eq 1 ]
  [[ $output == *"6 check(s) failed"* ]]
  [[ $output == *"- nvidia-smi on the host failed"* ]]
  [[ $output == *"- docker default runtime is 'runc', expected nvidia"* ]]
  [[ $output == *"- nvidia-smi in a container without --runtime failed"* ]]
  [[ $output == *"- ECS GPU inventory"*"is missing"* ]]
  [[ $output == *"- ECS agent introspection"* ]]
  [[ $output == *"- /storage is not mounted"* ]]
}

@test "verify: GPU inventory count must match the host" {
  good_instance
  echo '{"DriverVersion":"580.95.05","GPUIDs":[]}' >"$R/var/lib/ecs/gpu/nvidia-gpu-info.json"
  verify_run --no-agent
  [ "$status" -eq 1 ]
  [[ $output == *"has no GPUIDs"* ]]
  echo '{"DriverVersion":"580.95.05","GPUIDs":["GPU-a","GPU-b"]}' >"$R/var/lib/ecs/gpu/nvidia-gpu-info.json"
  verify_run --no-agent
  [ "$status" -eq 1 ]
  [[ $output == *"lists 2 GPU(s), nvidia-smi shows 1"* ]]
}

@test "verify: missing ecs.config GPU keys are failures" {
  good_instance
  echo 'ECS_LOGLEVEL=info' >"$R/etc/ecs/ecs.config"
  verify_run
  [ "$status" -eq 1 ]
  [[ $output == *"ecs.config lacks ECS_ENABLE_GPU_SUPPORT=true"* ]]
  [[ $output == *"ecs.config lacks ECS_NVIDIA_RUNTIME=nvidia"* ]]
}

@test "verify: a mount that cannot be written is a failure" {
  good_instance
  # (a plain file in place of the directory: writing below it fails even as root)
  rmdir "$R/storage"
  echo not-a-dir >"$R/storage"
  verify_run
  [ "$status" -eq 1 ]
  [[ $output == *"/storage is mounted but not writable"* ]]
}

@test "verify: --no-agent skips the introspection check" {
  good_instance
  rm "$STUB_STATE/agent"
  verify_run --no-agent
  [ "$status" -eq 0 ]
  not grep -q 51678 "$STUB_LOG"
}

@test "verify rejects unknown arguments" {
  verify_run --bogus
  [ "$status" -eq 2 ]
}

@test "verify: --no-inventory (build instance) skips the GPU inventory file" {
  good_instance
  rm "$R/var/lib/ecs/gpu/nvidia-gpu-info.json"
  verify_run --no-agent --no-inventory
  [ "$status" -eq 0 ]
  [[ $output == *"skip: ECS GPU inventory"* ]]
}
