# shellcheck shell=bash
# Common setup for the ami/ bats tests: a fake root under a temp dir, stub commands first on PATH,
# stub state and call log outside the fake root (so they do not count as changes to it).

AMI_DIR=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
STUB_NAMES=(dnf yum rpm apt-get dpkg-query dpkg systemctl nvidia-ctk nvidia-smi docker
  mountpoint mount umount curl gpg)
# shellcheck disable=SC2034 # used by the .bats files
EFS=fs-0123456789abcdef0

setup() {
  T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/ami-test.XXXXXX")
  R=$T/root
  mkdir -p "$R" "$T/bin" "$T/state"
  local c
  for c in "${STUB_NAMES[@]}"; do ln -s "$AMI_DIR/tests/stubs/stub" "$T/bin/$c"; done
  export PATH="$T/bin:$PATH" STUB_LOG=$T/calls.log STUB_STATE=$T/state STUB_ROOT=$R
  : >"$STUB_LOG"
  unset AWS_REGION AWS_DEFAULT_REGION STUB_CTK_BREAK STUB_DOCKER_RUNTIME
}

teardown() {
  [[ -n ${T:-} && -d $T ]] && rm -rf "$T"
}

os_release() { # os_release ID VERSION_ID
  mkdir -p "$R/etc"
  printf 'NAME="%s"\nID="%s"\nVERSION_ID="%s"\n' "$1" "$1" "$2" >"$R/etc/os-release"
}

# A plain AL2023 host with pre-existing config that must survive.
al2023_root() {
  os_release amzn 2023
  mkdir -p "$R/etc/docker" "$R/etc/ecs"
  printf '{"log-driver": "json-file", "log-opts": {"max-size": "10m"}, "live-restore": true}\n' \
    >"$R/etc/docker/daemon.json"
  printf 'ECS_LOGLEVEL=info\n# keep this comment\nECS_CONTAINER_STOP_TIMEOUT=30s\nECS_ENABLE_GPU_SUPPORT=false\nECS_ENABLE_GPU_SUPPORT=false\n' \
    >"$R/etc/ecs/ecs.config"
  printf 'UUID=1111-2222 / xfs defaults,noatime 1 1\n' >"$R/etc/fstab"
}

# The AWS ECS GPU AMI (AL2023): driver, toolkit, docker, ecs-init present; runtime registered
# through /etc/docker-runtimes.d like AWS's build does.
ecs_gpu_ami_root() {
  al2023_root
  printf '%s\n' nvidia-release nvidia-open nvidia-container-toolkit docker ecs-init jq nfs-utils \
    amazon-efs-utils python3-dnf-plugin-versionlock >"$STUB_STATE/pkgs"
  printf '%s\n' docker ecs >"$STUB_STATE/enabled"
  touch "$STUB_STATE/gpu"
  mkdir -p "$R/etc/dnf/plugins" "$R/etc/docker-runtimes.d"
  printf '0:kernel-6.1.0-1.*\n0:nvidia-open-580.0-1.*\n' >"$R/etc/dnf/plugins/versionlock.list"
  printf '#!/bin/sh\nexec /usr/bin/oci-add-hooks "$@"\n' >"$R/etc/docker-runtimes.d/nvidia"
}

ubuntu_root() { # ubuntu_root VERSION
  os_release ubuntu "$1"
  mkdir -p "$R/etc/docker"
  printf '{"data-root": "/var/lib/docker"}\n' >"$R/etc/docker/daemon.json"
  printf '/dev/root / ext4 defaults 0 1\n' >"$R/etc/fstab"
}

# tree_state: path, type, mode, link target and checksum of everything under the fake root.
tree_state() {
  (cd "$R" && find . -printf '%p %y %m %l\n' | LC_ALL=C sort &&
    find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2)
}

provision() { run bash "$AMI_DIR/provision.sh" --root "$R" "$@"; }
cleanup_run() { run bash "$AMI_DIR/cleanup.sh" --root "$R" "$@"; }
verify_run() { run bash "$AMI_DIR/verify.sh" --root "$R" "$@"; }

# Calls that change a system (anything but queries).
mutating_calls() {
  grep -Ev '^(rpm -q|dpkg-query|dpkg --print-architecture|systemctl is-(enabled|active)|nvidia-smi|docker (info|ps|images))' \
    "$STUB_LOG" || true
}

count_lines() { # count_lines FILE EXACT-LINE
  grep -cxF -- "$2" "$1" || true
}

# not CMD...: fail when CMD succeeds (a bare `! cmd` does not fail a bats test).
not() {
  if "$@"; then
    echo "expected to fail: $*" >&2
    return 1
  fi
}
