#!/usr/bin/env bash
# Provision a GPU host image for AWS Batch / ECS array jobs (Amazon Linux 2023; Ubuntu 22.04/24.04).
#
#   provision.sh --efs-id fs-0123456789abcdef0 [--mount-type efs|nfs] [--region REGION]
#                [--stop-timeout 120s] [--driver-branch 580] [--dry-run] [--root DIR]
#
# Idempotent: a second run on the same machine changes nothing. All input is validated before
# anything is changed (exit 2 on bad input). --dry-run prints every change and makes none.
# See ami/README.md.
set -euo pipefail

PROG=provision.sh
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

usage() {
  cat <<'EOF'
usage: provision.sh --efs-id fs-XXXXXXXX [options]

  --efs-id ID          results file system, fs- + 8 or 17 hex digits (required)
  --mount-type T       efs (amazon-efs-utils, TLS; default) or nfs (plain NFS 4.1)
  --region R           AWS region (required for --mount-type nfs and for the ECS agent on Ubuntu;
                       default: $AWS_REGION / $AWS_DEFAULT_REGION)
  --stop-timeout D     ECS_CONTAINER_STOP_TIMEOUT, e.g. 120s or 5m (default 120s)
  --driver-branch N    NVIDIA driver branch used on Ubuntu when no driver is present (default 580)
  --mount-point DIR    where the file system is mounted (default /storage)
  --dry-run            print every change, change nothing
  --root DIR           resolve every file path under DIR (tests; commands still run on the host)
  -h, --help           this text
EOF
}

EFS_ID=""
MOUNT_TYPE=efs
REGION=${AWS_REGION:-${AWS_DEFAULT_REGION:-}}
STOP_TIMEOUT=120s
DRIVER_BRANCH=580
MOUNT_POINT=/storage
# Same pattern as the efs_id validation in gpu-ami.pkr.hcl.
EFS_ID_RE='^fs-[0-9a-f]{8,17}$'
REGION_RE='^[a-z]{2}(-[a-z]+)+-[0-9]+$'

need_arg() { [[ $# -ge 2 && -n $2 ]] || die 2 "$1 needs a value"; }

while [[ $# -gt 0 ]]; do
  case $1 in
    --efs-id) need_arg "$@"; EFS_ID=$2; shift 2 ;;
    --efs-id=*) EFS_ID=${1#*=}; shift ;;
    --mount-type) need_arg "$@"; MOUNT_TYPE=$2; shift 2 ;;
    --mount-type=*) MOUNT_TYPE=${1#*=}; shift ;;
    --region) need_arg "$@"; REGION=$2; shift 2 ;;
    --region=*) REGION=${1#*=}; shift ;;
    --stop-timeout) need_arg "$@"; STOP_TIMEOUT=$2; shift 2 ;;
    --stop-timeout=*) STOP_TIMEOUT=${1#*=}; shift ;;
    --driver-branch) need_arg "$@"; DRIVER_BRANCH=$2; shift 2 ;;
    --driver-branch=*) DRIVER_BRANCH=${1#*=}; shift ;;
    --mount-point) need_arg "$@"; MOUNT_POINT=$2; shift 2 ;;
    --mount-point=*) MOUNT_POINT=${1#*=}; shift ;;
    --root) need_arg "$@"; set_root "$2"; shift 2 ;;
    --root=*) set_root "${1#*=}"; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die 2 "unknown argument: $1" ;;
  esac
done

# ---------------------------------------------------------------- validation (no changes above here)
[[ -n $EFS_ID ]] || die 2 "--efs-id is required (fs- followed by 8 or 17 hex digits, e.g. fs-0123456789abcdef0)"
[[ $EFS_ID =~ $EFS_ID_RE ]] || die 2 "--efs-id '$EFS_ID' is malformed: expected fs- followed by 8 or 17 lowercase hex digits"
case $MOUNT_TYPE in efs | nfs) ;; *) die 2 "--mount-type must be efs or nfs, not '$MOUNT_TYPE'" ;; esac
if [[ -n $REGION && ! $REGION =~ $REGION_RE ]]; then
  die 2 "--region '$REGION' is malformed (expected e.g. us-east-1)"
fi
[[ $MOUNT_TYPE == nfs && -z $REGION ]] && die 2 "--mount-type nfs needs --region (the mount target DNS name contains it)"
[[ $STOP_TIMEOUT =~ ^[1-9][0-9]*(s|m|h)$ ]] || die 2 "--stop-timeout '$STOP_TIMEOUT' is malformed (expected e.g. 120s, 5m)"
[[ $DRIVER_BRANCH =~ ^[0-9]{3}$ ]] || die 2 "--driver-branch '$DRIVER_BRANCH' is malformed (expected e.g. 580)"
[[ $MOUNT_POINT =~ ^/[A-Za-z0-9._/-]+$ && $MOUNT_POINT != / ]] || die 2 "--mount-point '$MOUNT_POINT' must be an absolute path"

detect_os

if [[ $ROOT == / ]] && ((!DRY_RUN)) && [[ $(id -u) -ne 0 ]]; then
  die 2 "must run as root (or use --dry-run)"
fi

DAEMON_JSON=/etc/docker/daemon.json
if [[ -e $(p $DAEMON_JSON) ]] && ! json_valid "$(p $DAEMON_JSON)"; then
  die 2 "$DAEMON_JSON exists but is not valid JSON; fix it first (nothing was changed)"
fi

pkg_installed() {
  case $PKG in
    dnf) rpm -q --quiet "$1" 2>/dev/null ;;
    apt) dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' ;;
  esac
}

if [[ $OS_ID == ubuntu && $MOUNT_TYPE == efs ]] && ! pkg_installed amazon-efs-utils; then
  die 2 "amazon-efs-utils is not packaged for Ubuntu: build and install its .deb first (see ami/README.md) or use --mount-type nfs --region REGION"
fi

ECS_PKG=ecs-init
[[ $PKG == apt ]] && ECS_PKG=amazon-ecs-init
if [[ $PKG == apt ]] && ! pkg_installed "$ECS_PKG" && [[ -z $REGION ]]; then
  die 2 "installing the ECS agent on Ubuntu needs --region (it is downloaded from the regional S3 bucket)"
fi

say "$PROG: $OS_ID $OS_VERSION, root $ROOT, efs $EFS_ID ($MOUNT_TYPE)$( ((DRY_RUN)) && printf ', dry run')"

# ---------------------------------------------------------------- state detected before any change
ECS_BASE=0
pkg_installed "$ECS_PKG" && ECS_BASE=1
GPU_INFO_SCRIPT=/usr/local/sbin/sweep-ecs-gpu-info
GPU_INFO_UNIT=/etc/systemd/system/sweep-ecs-gpu-info.service
# The generator is for non-ECS bases; once installed it is kept on later runs.
WANT_GPU_INFO=0
if ((!ECS_BASE)) || [[ -e $(p $GPU_INFO_SCRIPT) ]]; then WANT_GPU_INFO=1; fi

APT_UPDATED=0
[[ $PKG == apt ]] && export DEBIAN_FRONTEND=noninteractive
apt_update_once() {
  ((APT_UPDATED)) && return 0
  APT_UPDATED=1
  run_change apt-get update -q
}

# ensure_pkgs PKG...: install the ones not installed yet (one transaction).
ensure_pkgs() {
  local missing=() x
  for x in "$@"; do pkg_installed "$x" || missing+=("$x"); done
  ((${#missing[@]})) || return 0
  case $PKG in
    dnf) run_change dnf install -y "${missing[@]}" ;;
    apt)
      apt_update_once
      run_change apt-get install -y --no-install-recommends "${missing[@]}"
      ;;
  esac
}

service_enable() {
  systemctl is-enabled --quiet "$1" 2>/dev/null && return 0
  run_change systemctl enable "$1"
}

driver_present() {
  if nvidia-smi --query-gpu=driver_version --format=csv,noheader >/dev/null 2>&1; then return 0; fi
  case $PKG in
    dnf) pkg_installed nvidia-open || pkg_installed nvidia-driver ;;
    apt) pkg_installed "nvidia-headless-$DRIVER_BRANCH-server-open" || pkg_installed "nvidia-headless-$DRIVER_BRANCH-open" ;;
  esac
}

# ---------------------------------------------------------------- 1. NVIDIA driver + container toolkit
step_nvidia_packages() {
  say "== NVIDIA driver and container toolkit"
  if [[ $PKG == dnf ]]; then
    # nvidia-release: Amazon Linux's NVIDIA repository (driver, toolkit, fabric manager).
    ensure_pkgs nvidia-release
    if driver_present; then
      say "NVIDIA driver already present"
    else
      local kr
      kr=$(uname -r)
      ensure_pkgs dkms "kernel-devel-$kr" "kernel-modules-extra-$kr" nvidia-open nvidia-persistenced nvidia-fabric-manager
    fi
    # Lock kernel and driver together so an update cannot leave DKMS without a module.
    ensure_pkgs python3-dnf-plugin-versionlock
    local vl
    vl=$(p /etc/dnf/plugins/versionlock.list)
    if ! grep -qs '^[^#]*nvidia' "$vl" || ! grep -qs '^[^#]*kernel' "$vl"; then
      run_change dnf versionlock add 'kernel*' 'nvidia*'
    fi
    ensure_pkgs nvidia-container-toolkit
  else
    local keyring=/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg
    if [[ ! -s $(p $keyring) ]]; then
      ensure_pkgs curl gnupg ca-certificates
      if change "fetch NVIDIA container toolkit signing key into $keyring"; then
        mkdir -p "$(dirname "$(p $keyring)")"
        curl -fsSL https://nvidia.github.io/libnvidia-container/gpgkey | gpg --dearmor -o "$(p $keyring)" ||
          die 1 "could not fetch the NVIDIA signing key"
      fi
    fi
    local n=$CHANGES
    # $(ARCH) is expanded by apt, not by the shell.
    # shellcheck disable=SC2016
    printf 'deb [signed-by=%s] https://nvidia.github.io/libnvidia-container/stable/deb/$(ARCH) /\n' "$keyring" |
      write_file /etc/apt/sources.list.d/nvidia-container-toolkit.list 644
    # a new or changed repository needs a fresh package index
    ((CHANGES == n)) || APT_UPDATED=0
    if driver_present; then
      say "NVIDIA driver already present"
    else
      ensure_pkgs "nvidia-headless-$DRIVER_BRANCH-server-open" "nvidia-utils-$DRIVER_BRANCH-server"
    fi
    ensure_pkgs nvidia-container-toolkit
  fi
}

# ---------------------------------------------------------------- 2. Docker, ECS agent, tools
step_base_packages() {
  say "== Docker, ECS agent, file system client"
  local pkgs
  if [[ $PKG == dnf ]]; then
    pkgs=(docker jq nfs-utils)
    [[ $MOUNT_TYPE == efs ]] && pkgs+=(amazon-efs-utils)
    ((ECS_BASE)) || pkgs+=(ecs-init)
    ensure_pkgs "${pkgs[@]}"
  else
    pkgs=(docker.io jq nfs-common curl ca-certificates)
    ensure_pkgs "${pkgs[@]}"
    if ! pkg_installed amazon-ecs-init; then
      local arch deb url
      arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
      url="https://s3.$REGION.amazonaws.com/amazon-ecs-agent-$REGION/amazon-ecs-init-latest.$arch.deb"
      deb=/tmp/amazon-ecs-init-latest.deb
      if change "install the ECS agent from $url"; then
        curl -fsSL -o "$deb" "$url" || die 1 "could not download $url"
        dpkg -i "$deb" || die 1 "dpkg -i $deb failed"
        rm -f "$deb"
      fi
    fi
  fi
  service_enable docker
  # Enabled, never started here: a started agent registers with a cluster and leaves
  # /var/lib/ecs/data behind ("Data mismatch" on every new instance). cleanup.sh clears it anyway.
  service_enable ecs
}

# ---------------------------------------------------------------- 3. Docker default runtime
DOCKER_CHANGED=0
step_docker_runtime() {
  say "== Docker runtime nvidia (default)"
  local dj before
  dj=$(p $DAEMON_JSON)
  if [[ -e $(p /etc/docker-runtimes.d/nvidia) ]]; then
    # AWS ECS GPU AMI: Amazon Linux's docker registers /etc/docker-runtimes.d/* with --add-runtime.
    # A "runtimes" key in daemon.json would then conflict with the flag and docker would not start,
    # so only the default runtime is set here.
    say "runtime nvidia is registered by the base image (/etc/docker-runtimes.d/nvidia)"
    if [[ -f $dj ]] && jq -e '.["default-runtime"] == "nvidia"' "$dj" >/dev/null 2>&1; then
      say "daemon.json already has default-runtime nvidia"
      return 0
    fi
    if ! command -v jq >/dev/null 2>&1; then
      change "set default-runtime nvidia in $DAEMON_JSON (jq not installed yet)" || true
      ((DRY_RUN)) && return 0
      die 1 "jq is missing"
    fi
    local src=/dev/null
    [[ -f $dj ]] && src=$dj
    { [[ -s $src ]] && cat "$src" || echo '{}'; } | jq --indent 4 '. + {"default-runtime": "nvidia"}' |
      write_file $DAEMON_JSON 644
    DOCKER_CHANGED=1
    return 0
  fi

  if [[ -f $dj ]] && jq -e '(.runtimes.nvidia | type == "object") and .["default-runtime"] == "nvidia"' "$dj" >/dev/null 2>&1; then
    say "daemon.json already has runtime nvidia as default"
    return 0
  fi
  local cmd=(nvidia-ctk runtime configure --runtime=docker --set-as-default "--config=$dj")
  if ((DRY_RUN)); then
    change "run: ${cmd[*]}" || true
    return 0
  fi
  command -v nvidia-ctk >/dev/null 2>&1 || die 1 "nvidia-ctk not found (nvidia-container-toolkit should have installed it)"
  command -v jq >/dev/null 2>&1 || die 1 "jq not found"
  before=""
  [[ -s $dj ]] && before=$(jq -r 'keys[]' "$dj")
  local backup=""
  if [[ -f $dj ]]; then
    backup=$(mktemp)
    cp -p "$dj" "$backup"
  fi
  run_change "${cmd[@]}"
  local problem=""
  if ! json_valid "$dj"; then
    problem="not valid JSON"
  elif ! jq -e '.runtimes.nvidia | type == "object"' "$dj" >/dev/null; then
    problem="no runtimes.nvidia"
  elif ! jq -e '.["default-runtime"] == "nvidia"' "$dj" >/dev/null; then
    problem="default-runtime is not nvidia"
  else
    local k dropped=""
    while IFS= read -r k; do
      [[ -z $k ]] && continue
      jq -e --arg k "$k" 'has($k)' "$dj" >/dev/null || dropped+=" $k"
    done <<<"$before"
    [[ -z $dropped ]] || problem="existing keys dropped:$dropped"
  fi
  if [[ -n $problem ]]; then
    if [[ -n $backup ]]; then mv -f "$backup" "$dj"; else rm -f "$dj"; fi
    die 1 "nvidia-ctk left a bad $DAEMON_JSON ($problem); the previous file was restored"
  fi
  [[ -n $backup ]] && rm -f "$backup"
  DOCKER_CHANGED=1
}

# ---------------------------------------------------------------- 4. ECS agent settings
step_ecs_config() {
  say "== ECS agent settings"
  local cfg=/etc/ecs/ecs.config
  ensure_dir /etc/ecs 755
  kv_merge "$(p $cfg)" \
    ECS_ENABLE_GPU_SUPPORT=true \
    ECS_NVIDIA_RUNTIME=nvidia \
    "ECS_CONTAINER_STOP_TIMEOUT=$STOP_TIMEOUT" \
    ECS_ENABLE_SPOT_INSTANCE_DRAINING=true |
    write_file $cfg 644
  if grep -qs '^[[:space:]]*ECS_CLUSTER=' "$(p $cfg)"; then
    warn "$cfg sets ECS_CLUSTER: AWS Batch sets the cluster itself; do not bake it into the image"
  fi
}

# ---------------------------------------------------------------- 5. GPU inventory at boot (non-ECS bases)
step_gpu_info() {
  ((WANT_GPU_INFO)) || {
    say "== GPU inventory: written by ecs-init on this ECS base"
    return 0
  }
  say "== GPU inventory generator for the ECS agent"
  write_file $GPU_INFO_SCRIPT 755 <<'EOF'
#!/bin/sh
# Writes the GPU inventory the ECS agent reads (installed by sweep ami/provision.sh).
# Format: {"DriverVersion":"580.95.05","GPUIDs":["GPU-...",...]}
set -eu
out=${ECS_GPU_INFO_FILE:-/var/lib/ecs/gpu/nvidia-gpu-info.json}
tries=${ECS_GPU_INFO_TRIES:-30}
n=0
while :; do
  q=$(nvidia-smi --query-gpu=driver_version,uuid --format=csv,noheader 2>/dev/null) && [ -n "$q" ] && break
  n=$((n + 1))
  if [ "$n" -ge "$tries" ]; then
    echo "sweep-ecs-gpu-info: nvidia-smi found no GPU after $tries tries" >&2
    exit 1
  fi
  sleep 2
done
driver=$(printf '%s\n' "$q" | head -n 1 | cut -d, -f1 | tr -d ' ')
ids=$(printf '%s\n' "$q" | cut -d, -f2 | tr -d ' ' | awk 'NF { printf "%s\"%s\"", (n++ ? "," : ""), $0 }')
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
printf '{"DriverVersion":"%s","GPUIDs":[%s]}\n' "$driver" "$ids" >"$tmp"
mv -f "$tmp" "$out"
EOF
  write_file $GPU_INFO_UNIT 644 <<EOF
[Unit]
Description=Write the NVIDIA GPU inventory for the ECS agent
After=systemd-modules-load.service nvidia-persistenced.service
Before=ecs.service docker.service

[Service]
Type=oneshot
ExecStart=$GPU_INFO_SCRIPT
RemainAfterExit=yes

[Install]
WantedBy=multi-user.target
RequiredBy=ecs.service
EOF
  service_enable sweep-ecs-gpu-info.service
}

# ---------------------------------------------------------------- 6. results file system
step_storage() {
  say "== $MOUNT_POINT ($MOUNT_TYPE)"
  local line
  if [[ $MOUNT_TYPE == efs ]]; then
    line="$EFS_ID:/ $MOUNT_POINT efs _netdev,tls,noresvport 0 0"
  else
    line="$EFS_ID.efs.$REGION.amazonaws.com:/ $MOUNT_POINT nfs4 nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport,_netdev 0 0"
  fi
  ensure_dir "$MOUNT_POINT" 755
  fstab_merge "$(p /etc/fstab)" "$MOUNT_POINT" "$line" | write_file /etc/fstab 644
}

step_restart_docker() {
  ((DOCKER_CHANGED)) || return 0
  if systemctl is-active --quiet docker 2>/dev/null; then
    run_change systemctl restart docker
  fi
}

step_nvidia_packages
step_base_packages
step_docker_runtime
step_ecs_config
step_gpu_info
step_storage
step_restart_docker

if ((DRY_RUN)); then
  say "$PROG: dry run: $CHANGES change(s) would be made"
elif ((CHANGES)); then
  say "$PROG: $CHANGES change(s) made"
else
  say "$PROG: nothing to change"
fi
