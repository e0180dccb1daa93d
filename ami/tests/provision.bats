#!/usr/bin/env bats
# provision.sh against a fake root with stub commands (no real dnf/apt/systemctl/docker).

load helpers

# ---------------------------------------------------------------- input validation: exit 2, nothing changed

assert_rejected() { # assert_rejected PATTERN ARGS...
  local pattern=$1
  shift
  local before
  before=$(tree_state)
  provision "$@"
  echo "$output"
  [ "$status" -eq 2 ]
  [[ $output == *"$pattern"* ]]
  [ "$(tree_state)" = "$before" ]
  [ -z "$(mutating_calls)" ]
}

@test "missing --efs-id: clear error, exit 2, nothing changed" {
  al2023_root
  assert_rejected "--efs-id is required"
  [ ! -s "$STUB_LOG" ]
}

@test "malformed EFS ids are rejected before any change" {
  al2023_root
  for bad in fs-123 fs-0123456789ABCDEF0 fs-xyz12345 efs-01234567 fs-0123456789abcdef01 \
    "fs-01234567;rm" "fs-01234567 " "" ; do
    assert_rejected "efs-id" --efs-id "$bad"
  done
}

@test "an 8-digit legacy EFS id is accepted" {
  al2023_root
  provision --efs-id fs-0123abcd --dry-run
  [ "$status" -eq 0 ]
}

@test "bad --mount-type, --region, --stop-timeout, unknown flag: exit 2" {
  al2023_root
  assert_rejected "--mount-type must be efs or nfs" --efs-id "$EFS" --mount-type smb
  assert_rejected "needs --region" --efs-id "$EFS" --mount-type nfs
  assert_rejected "--region 'US_EAST' is malformed" --efs-id "$EFS" --region US_EAST
  assert_rejected "--stop-timeout '30' is malformed" --efs-id "$EFS" --stop-timeout 30
  assert_rejected "--stop-timeout '0s' is malformed" --efs-id "$EFS" --stop-timeout 0s
  assert_rejected "unknown argument: --bogus" --efs-id "$EFS" --bogus
  assert_rejected "--efs-id needs a value" --efs-id
}

@test "unsupported systems are rejected" {
  os_release debian 12
  assert_rejected "unsupported system" --efs-id "$EFS"
  os_release amzn 2
  assert_rejected "Amazon Linux 2 is not supported" --efs-id "$EFS"
  rm "$R/etc/os-release"
  assert_rejected "cannot read" --efs-id "$EFS"
}

@test "an invalid existing daemon.json is an input error, left untouched" {
  al2023_root
  echo '{"log-driver": ' >"$R/etc/docker/daemon.json"
  assert_rejected "not valid JSON" --efs-id "$EFS"
}

@test "Ubuntu with --mount-type efs needs amazon-efs-utils installed first" {
  ubuntu_root 24.04
  assert_rejected "amazon-efs-utils is not packaged for Ubuntu" --efs-id "$EFS" --region us-east-1
}

# ---------------------------------------------------------------- Amazon Linux 2023

@test "AL2023: daemon.json gets runtime nvidia as default, existing keys kept" {
  al2023_root
  provision --efs-id "$EFS"
  echo "$output"
  [ "$status" -eq 0 ]
  dj=$R/etc/docker/daemon.json
  jq -e . "$dj" >/dev/null
  jq -e '.runtimes.nvidia.path == "nvidia-container-runtime"' "$dj"
  jq -e '.["default-runtime"] == "nvidia"' "$dj"
  jq -e '.["log-driver"] == "json-file" and .["log-opts"]["max-size"] == "10m" and .["live-restore"] == true' "$dj"
  grep -qx "nvidia-ctk runtime configure --runtime=docker --set-as-default --config=$dj" "$STUB_LOG"
}

@test "AL2023: a missing daemon.json is created by nvidia-ctk" {
  al2023_root
  rm "$R/etc/docker/daemon.json"
  provision --efs-id "$EFS"
  [ "$status" -eq 0 ]
  jq -e '.runtimes.nvidia and .["default-runtime"] == "nvidia"' "$R/etc/docker/daemon.json"
}

@test "AL2023: ecs.config keys set once, other lines kept" {
  al2023_root
  provision --efs-id "$EFS" --stop-timeout 5m
  [ "$status" -eq 0 ]
  provision --efs-id "$EFS" --stop-timeout 5m
  [ "$status" -eq 0 ]
  cfg=$R/etc/ecs/ecs.config
  cat "$cfg"
  [ "$(count_lines "$cfg" ECS_ENABLE_GPU_SUPPORT=true)" -eq 1 ]
  [ "$(count_lines "$cfg" ECS_NVIDIA_RUNTIME=nvidia)" -eq 1 ]
  [ "$(count_lines "$cfg" ECS_CONTAINER_STOP_TIMEOUT=5m)" -eq 1 ]
  [ "$(grep -c '^ECS_ENABLE_GPU_SUPPORT=' "$cfg")" -eq 1 ]
  [ "$(grep -c '^ECS_CONTAINER_STOP_TIMEOUT=' "$cfg")" -eq 1 ]
  [ "$(count_lines "$cfg" ECS_LOGLEVEL=info)" -eq 1 ]
  [ "$(count_lines "$cfg" '# keep this comment')" -eq 1 ]
  not grep -q '^ECS_CLUSTER=' "$cfg"
}

@test "AL2023: ecs.config created when absent, default stop timeout 120s" {
  al2023_root
  rm "$R/etc/ecs/ecs.config"
  provision --efs-id "$EFS"
  [ "$status" -eq 0 ]
  grep -qx ECS_CONTAINER_STOP_TIMEOUT=120s "$R/etc/ecs/ecs.config"
  [ "$(stat -c %a "$R/etc/ecs/ecs.config")" = 644 ]
}

@test "AL2023 efs: one fstab line after two runs, other entries kept" {
  al2023_root
  provision --efs-id "$EFS"
  provision --efs-id "$EFS"
  [ "$status" -eq 0 ]
  cat "$R/etc/fstab"
  [ "$(count_lines "$R/etc/fstab" "$EFS:/ /storage efs _netdev,tls,noresvport 0 0")" -eq 1 ]
  [ "$(awk '$2 == "/storage"' "$R/etc/fstab" | wc -l)" -eq 1 ]
  [ "$(count_lines "$R/etc/fstab" 'UUID=1111-2222 / xfs defaults,noatime 1 1')" -eq 1 ]
  [ -d "$R/storage" ]
}

@test "nfs: NFS 4.1 fstab line; switching from efs replaces the entry" {
  al2023_root
  provision --efs-id "$EFS"
  [ "$status" -eq 0 ]
  provision --efs-id "$EFS" --mount-type nfs --region eu-west-1
  [ "$status" -eq 0 ]
  provision --efs-id "$EFS" --mount-type nfs --region eu-west-1
  cat "$R/etc/fstab"
  want="$EFS.efs.eu-west-1.amazonaws.com:/ /storage nfs4 nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport,_netdev 0 0"
  [ "$(count_lines "$R/etc/fstab" "$want")" -eq 1 ]
  [ "$(awk '$2 == "/storage"' "$R/etc/fstab" | wc -l)" -eq 1 ]
}

@test "an existing different /storage entry is replaced, commented ones kept" {
  al2023_root
  printf '# /storage old:/ nfs\nold-server:/export /storage nfs defaults 0 0\nold-server:/export /storage nfs ro 0 0\n' >>"$R/etc/fstab"
  provision --efs-id "$EFS"
  [ "$status" -eq 0 ]
  cat "$R/etc/fstab"
  [ "$(awk '$1 !~ /^#/ && $2 == "/storage"' "$R/etc/fstab" | wc -l)" -eq 1 ]
  grep -qx '# /storage old:/ nfs' "$R/etc/fstab"
  not grep -q old-server "$R/etc/fstab"
}

@test "AL2023: packages, versionlock, services; ecs enabled but never started" {
  al2023_root
  provision --efs-id "$EFS"
  [ "$status" -eq 0 ]
  cat "$STUB_LOG"
  grep -q '^dnf install -y nvidia-release$' "$STUB_LOG"
  grep -q '^dnf install -y .*nvidia-open' "$STUB_LOG"
  grep -q '^dnf install -y nvidia-container-toolkit$' "$STUB_LOG"
  grep -q '^dnf install -y docker jq nfs-utils amazon-efs-utils ecs-init$' "$STUB_LOG"
  grep -q '^dnf versionlock add kernel\* nvidia\*$' "$STUB_LOG"
  grep -qx 'systemctl enable docker' "$STUB_LOG"
  grep -qx 'systemctl enable ecs' "$STUB_LOG"
  not grep -Eq '^systemctl (start|restart) ecs' "$STUB_LOG"
  not grep -q 'nvidia-docker2' "$STUB_LOG"
  # the toolkit is installed before nvidia-ctk runs
  [ "$(grep -n 'nvidia-container-toolkit' "$STUB_LOG" | head -n1 | cut -d: -f1)" -lt \
    "$(grep -n '^nvidia-ctk' "$STUB_LOG" | cut -d: -f1)" ]
}

@test "AL2023 non-ECS base: GPU inventory generator installed and enabled" {
  al2023_root
  provision --efs-id "$EFS"
  [ "$status" -eq 0 ]
  gen=$R/usr/local/sbin/sweep-ecs-gpu-info
  unit=$R/etc/systemd/system/sweep-ecs-gpu-info.service
  [ -x "$gen" ]
  grep -qx 'Before=ecs.service docker.service' "$unit"
  grep -qx 'ExecStart=/usr/local/sbin/sweep-ecs-gpu-info' "$unit"
  grep -qx 'systemctl enable sweep-ecs-gpu-info.service' "$STUB_LOG"
  # the generator itself, against the nvidia-smi stub
  ECS_GPU_INFO_FILE=$T/gpu/nvidia-gpu-info.json run sh "$gen"
  [ "$status" -eq 0 ]
  jq -e '.DriverVersion == "580.95.05" and .GPUIDs == ["GPU-11111111-2222-3333-4444-555555555555"]' \
    "$T/gpu/nvidia-gpu-info.json"
}

@test "GPU inventory generator gives up after a bounded number of tries" {
  al2023_root
  provision --efs-id "$EFS"
  sed -i '/^nvidia-open$/d' "$STUB_STATE/pkgs"
  ECS_GPU_INFO_FILE=$T/gpu/info.json ECS_GPU_INFO_TRIES=1 run sh "$R/usr/local/sbin/sweep-ecs-gpu-info"
  [ "$status" -eq 1 ]
  [[ $output == *"found no GPU"* ]]
  [ ! -e "$T/gpu/info.json" ]
}

@test "AL2023: second run changes nothing (identical tree, no mutating commands)" {
  al2023_root
  provision --efs-id "$EFS"
  [ "$status" -eq 0 ]
  first=$(tree_state)
  : >"$STUB_LOG"
  provision --efs-id "$EFS"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"nothing to change"* ]]
  [ "$(tree_state)" = "$first" ]
  [ -z "$(mutating_calls)" ]
}

@test "nfs + custom options: second run changes nothing" {
  al2023_root
  provision --efs-id "$EFS" --mount-type nfs --region us-west-2 --stop-timeout 300s
  [ "$status" -eq 0 ]
  first=$(tree_state)
  provision --efs-id "$EFS" --mount-type nfs --region us-west-2 --stop-timeout 300s
  [ "$status" -eq 0 ]
  [ "$(tree_state)" = "$first" ]
}

@test "--dry-run prints every change and changes nothing" {
  al2023_root
  before=$(tree_state)
  provision --efs-id "$EFS" --dry-run
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(tree_state)" = "$before" ]
  [ -z "$(mutating_calls)" ]
  [[ $output == *"would: run: dnf install -y nvidia-release"* ]]
  [[ $output == *"would: run: nvidia-ctk runtime configure --runtime=docker --set-as-default"* ]]
  [[ $output == *"would: write /etc/ecs/ecs.config"* ]]
  [[ $output == *"+ECS_ENABLE_GPU_SUPPORT=true"* ]]
  [[ $output == *"+$EFS:/ /storage efs _netdev,tls,noresvport 0 0"* ]]
  [[ $output == *"would: create /etc/systemd/system/sweep-ecs-gpu-info.service"* ]]
  [[ $output == *"would: create directory /storage"* ]]
  [[ $output == *"change(s) would be made"* ]]
}

@test "--dry-run after a real run reports nothing to do" {
  al2023_root
  provision --efs-id "$EFS"
  provision --efs-id "$EFS" --dry-run
  [ "$status" -eq 0 ]
  [[ $output == *"dry run: 0 change(s) would be made"* ]]
}

@test "nvidia-ctk output that drops keys fails the run and restores daemon.json" {
  al2023_root
  orig=$(cat "$R/etc/docker/daemon.json")
  STUB_CTK_BREAK=1 provision --efs-id "$EFS"
  echo "$output"
  [ "$status" -eq 1 ]
  [[ $output == *"existing keys dropped: live-restore log-driver log-opts"* ]]
  [ "$(cat "$R/etc/docker/daemon.json")" = "$orig" ]
}

@test "docker is restarted only when daemon.json changed and docker is running" {
  al2023_root
  echo docker >"$STUB_STATE/active"
  provision --efs-id "$EFS"
  [ "$status" -eq 0 ]
  [ "$(grep -c '^systemctl restart docker$' "$STUB_LOG")" -eq 1 ]
  provision --efs-id "$EFS"
  [ "$(grep -c '^systemctl restart docker$' "$STUB_LOG")" -eq 1 ]
}

# ---------------------------------------------------------------- AWS ECS GPU AMI as the base

@test "ECS GPU AMI base: driver kept, no agent install, default runtime only, no generator" {
  ecs_gpu_ami_root
  provision --efs-id "$EFS"
  echo "$output"
  [ "$status" -eq 0 ]
  not grep -q '^dnf install' "$STUB_LOG"
  not grep -q '^dnf versionlock' "$STUB_LOG"
  not grep -q '^nvidia-ctk' "$STUB_LOG"
  dj=$R/etc/docker/daemon.json
  jq -e '.["default-runtime"] == "nvidia"' "$dj"
  # runtime nvidia comes from /etc/docker-runtimes.d (--add-runtime): a "runtimes" key would conflict
  jq -e 'has("runtimes") | not' "$dj"
  jq -e '.["log-driver"] == "json-file" and .["live-restore"] == true' "$dj"
  [ ! -e "$R/usr/local/sbin/sweep-ecs-gpu-info" ]
  grep -qx ECS_ENABLE_GPU_SUPPORT=true "$R/etc/ecs/ecs.config"
  first=$(tree_state)
  provision --efs-id "$EFS"
  [ "$(tree_state)" = "$first" ]
}

@test "ECS base without docker-runtimes.d: nvidia-ctk configures the runtime" {
  ecs_gpu_ami_root
  rm -r "$R/etc/docker-runtimes.d"
  provision --efs-id "$EFS"
  [ "$status" -eq 0 ]
  jq -e '.runtimes.nvidia and .["default-runtime"] == "nvidia"' "$R/etc/docker/daemon.json"
}

# ---------------------------------------------------------------- Ubuntu

@test "Ubuntu 24.04 nfs: apt repo, toolkit, ECS agent .deb, idempotent" {
  ubuntu_root 24.04
  provision --efs-id "$EFS" --mount-type nfs --region us-east-1
  echo "$output"
  [ "$status" -eq 0 ]
  cat "$STUB_LOG"
  [ -s "$R/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg" ]
  # shellcheck disable=SC2016
  grep -qxF 'deb [signed-by=/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg] https://nvidia.github.io/libnvidia-container/stable/deb/$(ARCH) /' \
    "$R/etc/apt/sources.list.d/nvidia-container-toolkit.list"
  grep -q '^apt-get install -y --no-install-recommends nvidia-headless-580-server-open nvidia-utils-580-server$' "$STUB_LOG"
  grep -q '^apt-get install -y --no-install-recommends nvidia-container-toolkit$' "$STUB_LOG"
  # the package index is refreshed after the NVIDIA repository was added
  [ "$(grep -n '^apt-get update' "$STUB_LOG" | tail -n1 | cut -d: -f1)" -lt \
    "$(grep -n 'apt-get install .*nvidia-container-toolkit' "$STUB_LOG" | cut -d: -f1)" ]
  [ "$(grep -c '^apt-get update' "$STUB_LOG")" -eq 2 ]
  grep -q 'docker.io' "$STUB_LOG"
  grep -q 'nfs-common' "$STUB_LOG"
  grep -q 'https://s3.us-east-1.amazonaws.com/amazon-ecs-agent-us-east-1/amazon-ecs-init-latest.amd64.deb' "$STUB_LOG"
  grep -q '^dpkg -i ' "$STUB_LOG"
  not grep -q '^dnf' "$STUB_LOG"
  jq -e '.["data-root"] == "/var/lib/docker" and .runtimes.nvidia and .["default-runtime"] == "nvidia"' \
    "$R/etc/docker/daemon.json"
  [ -x "$R/usr/local/sbin/sweep-ecs-gpu-info" ]
  [ "$(awk '$2 == "/storage"' "$R/etc/fstab" | wc -l)" -eq 1 ]
  first=$(tree_state)
  : >"$STUB_LOG"
  provision --efs-id "$EFS" --mount-type nfs --region us-east-1
  [ "$status" -eq 0 ]
  [ "$(tree_state)" = "$first" ]
  [ -z "$(mutating_calls)" ]
}

@test "Ubuntu 22.04 with efs-utils installed: efs mount" {
  ubuntu_root 22.04
  echo amazon-efs-utils >"$STUB_STATE/pkgs"
  provision --efs-id "$EFS" --region ap-southeast-2
  [ "$status" -eq 0 ]
  [ "$(count_lines "$R/etc/fstab" "$EFS:/ /storage efs _netdev,tls,noresvport 0 0")" -eq 1 ]
}

@test "Ubuntu without the ECS agent needs --region" {
  ubuntu_root 24.04
  echo amazon-efs-utils >"$STUB_STATE/pkgs"
  assert_rejected "needs --region" --efs-id "$EFS"
}
