#!/usr/bin/env bats
# cleanup.sh against a fake root with stub commands.

load helpers

# A build instance just before the snapshot.
dirty_root() {
  al2023_root
  local d
  for d in var/lib/ecs/data var/log/ecs var/lib/cloud/instances/i-0abc/sem var/lib/cloud/data \
    etc/ssh root/.ssh home/ec2-user/.ssh var/lib/dhclient var/lib/dhcp var/lib/NetworkManager \
    var/lib/ecs/gpu var/lib/dbus storage; do
    mkdir -p "$R/$d"
  done
  echo '{}' >"$R/var/lib/ecs/data/agent.db"
  echo '{}' >"$R/var/lib/ecs/data/ecs_agent_data.json"
  echo log >"$R/var/log/ecs/ecs-agent.log"
  echo log >"$R/var/log/ecs/ecs-init.log"
  ln -s /var/lib/cloud/instances/i-0abc "$R/var/lib/cloud/instance"
  echo sem >"$R/var/lib/cloud/instances/i-0abc/sem/config_scripts_user"
  echo x >"$R/var/log/cloud-init.log"
  for k in rsa ecdsa ed25519; do
    echo key >"$R/etc/ssh/ssh_host_${k}_key"
    echo pub >"$R/etc/ssh/ssh_host_${k}_key.pub"
  done
  echo 'Port 22' >"$R/etc/ssh/sshd_config"
  echo 'ssh-ed25519 AAAA builder' >"$R/root/.ssh/authorized_keys"
  echo 'ssh-ed25519 AAAA packer' >"$R/home/ec2-user/.ssh/authorized_keys"
  echo 'ssh-ed25519 AAAA known' >"$R/home/ec2-user/.ssh/known_hosts"
  echo lease >"$R/var/lib/dhclient/dhclient--eth0.lease"
  echo lease >"$R/var/lib/dhcp/dhclient.eth0.leases"
  echo lease >"$R/var/lib/NetworkManager/internal-1.lease"
  echo 0123456789abcdef0123456789abcdef >"$R/etc/machine-id"
  echo 0123456789abcdef0123456789abcdef >"$R/var/lib/dbus/machine-id"
  echo history >"$R/root/.bash_history"
  echo '{"DriverVersion":"580.95.05","GPUIDs":["GPU-1"]}' >"$R/var/lib/ecs/gpu/nvidia-gpu-info.json"
  printf '%s\n' ecs docker docker.socket >"$STUB_STATE/active"
  printf 'c1\nc2\n' >"$STUB_STATE/containers"
  printf 'i1\n' >"$STUB_STATE/images"
}

@test "cleanup removes agent state, logs, cloud-init, keys, leases; machine-id left empty" {
  dirty_root
  cleanup_run
  echo "$output"
  [ "$status" -eq 0 ]
  [ -d "$R/var/lib/ecs/data" ]
  [ -z "$(ls -A "$R/var/lib/ecs/data")" ]
  [ -z "$(ls -A "$R/var/log/ecs")" ]
  [ -z "$(ls -A "$R/var/lib/cloud")" ]
  [ ! -e "$R/var/log/cloud-init.log" ]
  [ -z "$(find "$R/etc/ssh" -name 'ssh_host_*')" ]
  [ ! -e "$R/root/.ssh/authorized_keys" ]
  [ ! -e "$R/home/ec2-user/.ssh/authorized_keys" ]
  [ ! -e "$R/var/lib/dhclient/dhclient--eth0.lease" ]
  [ ! -e "$R/var/lib/dhcp/dhclient.eth0.leases" ]
  [ ! -e "$R/var/lib/NetworkManager/internal-1.lease" ]
  [ ! -e "$R/root/.bash_history" ]
  [ ! -e "$R/var/lib/dbus/machine-id" ]
  # machine-id: exists, size 0
  [ -f "$R/etc/machine-id" ]
  [ ! -s "$R/etc/machine-id" ]
  # kept
  [ -f "$R/etc/ssh/sshd_config" ]
  [ -f "$R/home/ec2-user/.ssh/known_hosts" ]
  [ -f "$R/etc/ecs/ecs.config" ]
  [ -f "$R/etc/docker/daemon.json" ]
  [ -f "$R/etc/fstab" ]
  [ -f "$R/var/lib/ecs/gpu/nvidia-gpu-info.json" ]
  [ -f "$R/etc/os-release" ]
}

@test "cleanup stops ecs, removes containers and images, then stops docker" {
  dirty_root
  cleanup_run
  [ "$status" -eq 0 ]
  cat "$STUB_LOG"
  mutating_calls >"$T/m"
  cat "$T/m"
  [ "$(sed -n 1p "$T/m")" = "systemctl stop ecs" ]
  [ "$(sed -n 2p "$T/m")" = "docker rm -f c1 c2" ]
  [ "$(sed -n 3p "$T/m")" = "docker system prune -af --volumes" ]
  grep -qx 'systemctl stop docker.socket' "$T/m"
  grep -qx 'systemctl stop docker' "$T/m"
  [ ! -s "$STUB_STATE/active" ]
}

@test "cleanup --dry-run lists every removal and changes nothing" {
  dirty_root
  before=$(tree_state)
  cleanup_run --dry-run
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(tree_state)" = "$before" ]
  [ -z "$(mutating_calls)" ]
  for f in /var/lib/ecs/data/agent.db /var/lib/ecs/data/ecs_agent_data.json /var/log/ecs/ecs-agent.log \
    /var/lib/cloud/instances /var/lib/cloud/instance /etc/ssh/ssh_host_ed25519_key \
    /root/.ssh/authorized_keys /home/ec2-user/.ssh/authorized_keys /var/lib/dhclient/dhclient--eth0.lease; do
    [[ $output == *"would: remove $f"* ]]
  done
  [[ $output == *"would: truncate /etc/machine-id"* ]]
  [[ $output == *"would: run: systemctl stop ecs"* ]]
  [[ $output == *"would: run: docker system prune -af --volumes"* ]]
}

@test "cleanup twice: second run changes nothing" {
  dirty_root
  cleanup_run
  [ "$status" -eq 0 ]
  first=$(tree_state)
  cleanup_run
  [ "$status" -eq 0 ]
  [[ $output == *"0 change(s) made"* ]]
  [ "$(tree_state)" = "$first" ]
}

@test "a missing machine-id is recreated empty" {
  al2023_root
  cleanup_run
  [ "$status" -eq 0 ]
  [ -f "$R/etc/machine-id" ]
  [ ! -s "$R/etc/machine-id" ]
}

@test "cleanup of the running system is refused without --yes" {
  run bash "$AMI_DIR/cleanup.sh"
  [ "$status" -eq 2 ]
  [[ $output == *"without --yes"* ]]
  [ ! -s "$STUB_LOG" ]
}

@test "cleanup rejects unknown arguments" {
  al2023_root
  cleanup_run --force
  [ "$status" -eq 2 ]
  [ ! -s "$STUB_LOG" ]
}

@test "provision then cleanup: provisioned config survives the cleanup" {
  al2023_root
  provision --efs-id "$EFS"
  [ "$status" -eq 0 ]
  mkdir -p "$R/var/lib/ecs/data" && echo x >"$R/var/lib/ecs/data/agent.db"
  cleanup_run
  [ "$status" -eq 0 ]
  [ ! -e "$R/var/lib/ecs/data/agent.db" ]
  grep -qx ECS_ENABLE_GPU_SUPPORT=true "$R/etc/ecs/ecs.config"
  jq -e '.["default-runtime"] == "nvidia"' "$R/etc/docker/daemon.json"
  grep -q ' /storage efs ' "$R/etc/fstab"
  [ -x "$R/usr/local/sbin/sweep-ecs-gpu-info" ]
}
