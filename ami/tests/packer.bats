#!/usr/bin/env bats
# Static checks of ami/gpu-ami.pkr.hcl (no AWS). With packer installed, also `packer validate`.

load helpers

TPL() { printf '%s' "$AMI_DIR/gpu-ami.pkr.hcl"; }

@test "template parses as HCL (terraform fmt) and validates with packer when available" {
  if command -v packer >/dev/null 2>&1; then
    run packer validate -syntax-only "$(TPL)"
    echo "$output"
    [ "$status" -eq 0 ]
  elif command -v terraform >/dev/null 2>&1; then
    run terraform fmt -check - <"$(TPL)"
    echo "$output"
    [ "$status" -eq 0 ]
  else
    skip "neither packer nor terraform installed"
  fi
}

@test "efs_id validation uses the same pattern as provision.sh" {
  pat=$(sed -n 's/^EFS_ID_RE=.\(.*\).$/\1/p' "$AMI_DIR/provision.sh")
  [ "$pat" = '^fs-[0-9a-f]{8,17}$' ]
  grep -qF "condition     = can(regex(\"$pat\", var.efs_id))" "$(TPL)"
  # efs_id has no default: a build without it fails before an instance starts
  block=$(awk '/^variable "efs_id"/,/^}/' "$(TPL)")
  [[ $block == *validation* ]]
  [[ $block != *default* ]]
}

@test "source AMI comes from the ECS GPU AMI SSM parameter; variables for type, region, efs" {
  grep -qF 'default     = "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id"' "$(TPL)"
  grep -qF 'source_ami      = data.amazon-parameterstore.source_ami.value' "$(TPL)"
  for v in region instance_type efs_id mount_type stop_timeout; do
    grep -q "^variable \"$v\"" "$(TPL)"
  done
}

@test "provisioners: upload, provision, (verify), cleanup last" {
  up=$(grep -n 'provisioner "file"' "$(TPL)" | cut -d: -f1)
  pr=$(grep -nF "provision.sh \${local.provision_args}" "$(TPL)" | cut -d: -f1)
  ve=$(grep -n 'verify.sh' "$(TPL)" | tail -n1 | cut -d: -f1)
  cl=$(grep -n 'cleanup.sh --yes' "$(TPL)" | cut -d: -f1)
  last=$(grep -n 'provisioner "' "$(TPL)" | tail -n1 | cut -d: -f1)
  [ "$up" -lt "$pr" ] && [ "$pr" -lt "$ve" ] && [ "$ve" -lt "$cl" ] && [ "$last" -lt "$cl" ]
  for f in provision.sh cleanup.sh verify.sh lib.sh; do
    grep -qF "\${path.root}/$f" "$(TPL)"
  done
}
