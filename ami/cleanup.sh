#!/usr/bin/env bash
# Last step before the AMI snapshot: remove every trace of this build instance so each new
# instance boots as a fresh ECS container instance (no saved agent identity -> no "Data mismatch",
# no duplicate registrations), with its own SSH host keys and machine-id.
#
#   cleanup.sh --yes            on the build instance (destructive: removes authorized_keys!)
#   cleanup.sh --dry-run        list what would be removed
#   cleanup.sh --root DIR       operate on a fake root (tests)
set -euo pipefail

PROG=cleanup.sh
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

usage() {
  cat <<'EOF'
usage: cleanup.sh (--yes | --dry-run) [--root DIR]

  --yes        confirm: this removes SSH keys and authorized_keys of the machine it runs on
  --dry-run    print every removal, change nothing
  --root DIR   resolve every file path under DIR (tests; services/docker still act on the host)
EOF
}

YES=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --yes) YES=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    --root) [[ $# -ge 2 ]] || die 2 "--root needs a directory"; set_root "$2"; shift 2 ;;
    --root=*) set_root "${1#*=}"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die 2 "unknown argument: $1" ;;
  esac
done

if [[ $ROOT == / ]] && ((!DRY_RUN)); then
  ((YES)) || die 2 "refusing to clean the running system without --yes (it deletes SSH keys and authorized_keys)"
  [[ $(id -u) -eq 0 ]] || die 2 "must run as root"
fi

say "$PROG: root $ROOT$( ((DRY_RUN)) && printf ', dry run')"

# ---------------------------------------------------------------- services and containers
have() { command -v "$1" >/dev/null 2>&1; }

if have systemctl && systemctl is-active --quiet ecs 2>/dev/null; then
  run_change systemctl stop ecs
fi
if have docker && docker info >/dev/null 2>&1; then
  ids=$(docker ps -aq)
  if [[ -n $ids ]]; then
    # shellcheck disable=SC2086 # one id per word
    run_change docker rm -f $ids
  fi
  imgs=$(docker images -aq)
  if [[ -n $imgs ]]; then
    run_change docker system prune -af --volumes
  fi
fi
if have systemctl; then
  for s in docker.socket docker; do
    if systemctl is-active --quiet "$s" 2>/dev/null; then run_change systemctl stop "$s"; fi
  done
fi

# ---------------------------------------------------------------- files
shopt -s nullglob dotglob
R=$(p /)
R=${R%/}
# ECS agent state (agent.db; ecs_agent_data.json on old agents) and logs.
remove_path "$R"/var/lib/ecs/data/*
remove_path "$R"/var/log/ecs/*
# cloud-init state: instances, instance link, sem, data (so user data runs again on first boot).
remove_path "$R"/var/lib/cloud/*
remove_path "$R"/var/log/cloud-init.log "$R"/var/log/cloud-init-output.log
# SSH host keys (regenerated at boot) and every authorized_keys.
remove_path "$R"/etc/ssh/ssh_host_*
remove_path "$R"/root/.ssh/authorized_keys "$R"/home/*/.ssh/authorized_keys
# DHCP leases (dhclient, ISC dhcp on Ubuntu, NetworkManager, systemd-networkd).
remove_path "$R"/var/lib/dhclient/* "$R"/var/lib/dhcp/*.leases "$R"/var/lib/NetworkManager/*.lease
remove_path "$R"/var/lib/systemd/network/*
# Shell history of the build session.
remove_path "$R"/root/.bash_history "$R"/home/*/.bash_history
# dbus copy of the machine id (Ubuntu links it to /etc/machine-id; a real file would be stale).
if [[ -f $R/var/lib/dbus/machine-id && ! -L $R/var/lib/dbus/machine-id ]]; then
  remove_path "$R"/var/lib/dbus/machine-id
fi
shopt -u nullglob dotglob

# machine-id: present and empty, so systemd generates a new one on first boot.
mid=$R/etc/machine-id
if [[ -L $mid || ! -f $mid ]]; then
  if change "recreate /etc/machine-id empty"; then
    rm -f "$mid"
    mkdir -p "$R/etc"
    : >"$mid"
    chmod 444 "$mid"
  fi
elif [[ -s $mid ]]; then
  if change "truncate /etc/machine-id"; then
    : >"$mid"
  fi
fi

if ((DRY_RUN)); then
  say "$PROG: dry run: $CHANGES change(s) would be made"
else
  say "$PROG: $CHANGES change(s) made"
fi
