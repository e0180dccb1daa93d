# Bake the sweep GPU worker AMI for AWS Batch / ECS.
#
#   packer init ami/gpu-ami.pkr.hcl
#   packer build -var efs_id=fs-0123456789abcdef0 -var region=us-east-1 ami/gpu-ami.pkr.hcl
#
# Base image: the AWS ECS GPU-optimized AMI for Amazon Linux 2023 (driver, toolkit, ecs-init
# already there; provision.sh only adds what is missing), resolved from its public SSM parameter
# at build time. For plain AL2023 set
#   source_ami_ssm_parameter=/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
# The scripts run in order: provision.sh, verify.sh (optional, run_verify), cleanup.sh last.

packer {
  required_plugins {
    amazon = {
      source  = "github.com/hashicorp/amazon"
      version = ">= 1.3.0"
    }
  }
}

variable "region" {
  type        = string
  description = "AWS region to build in (and of the EFS file system)."
  default     = "us-east-1"
  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "The region must look like us-east-1."
  }
}

variable "efs_id" {
  type        = string
  description = "Results file system mounted at /storage: fs- followed by 8 or 17 hex digits."
  validation {
    condition     = can(regex("^fs-[0-9a-f]{8,17}$", var.efs_id))
    error_message = "The efs_id must be fs- followed by 8 or 17 lowercase hex digits, e.g. fs-0123456789abcdef0."
  }
}

variable "mount_type" {
  type        = string
  description = "efs (amazon-efs-utils, TLS) or nfs (plain NFS 4.1)."
  default     = "efs"
  validation {
    condition     = contains(["efs", "nfs"], var.mount_type)
    error_message = "The mount_type must be efs or nfs."
  }
}

variable "stop_timeout" {
  type        = string
  description = "ECS_CONTAINER_STOP_TIMEOUT: time between SIGTERM and SIGKILL for checkpointing."
  default     = "120s"
  validation {
    condition     = can(regex("^[1-9][0-9]*(s|m|h)$", var.stop_timeout))
    error_message = "The stop_timeout must look like 120s or 5m."
  }
}

variable "instance_type" {
  type        = string
  description = "Build instance. A GPU type lets the optional verify step run nvidia-smi."
  default     = "g4dn.xlarge"
}

variable "source_ami_ssm_parameter" {
  type        = string
  description = "SSM parameter holding the base AMI id."
  default     = "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id"
}

variable "ssh_username" {
  type    = string
  default = "ec2-user" # "ubuntu" for Ubuntu bases
}

variable "ami_name_prefix" {
  type    = string
  default = "sweep-gpu-ecs-al2023"
}

variable "root_device_name" {
  type        = string
  description = "Root device of the base AMI: /dev/xvda on Amazon Linux, /dev/sda1 on Ubuntu."
  default     = "/dev/xvda"
}

variable "volume_size_gb" {
  type    = number
  default = 60
}

variable "subnet_id" {
  type        = string
  description = "Optional subnet for the build instance (needs outbound access to package repositories)."
  default     = ""
}

variable "run_verify" {
  type        = bool
  description = "Run verify.sh on the build instance (needs a GPU instance type and EFS reachable from the build subnet)."
  default     = false
}

data "amazon-parameterstore" "source_ami" {
  name   = var.source_ami_ssm_parameter
  region = var.region
}

locals {
  timestamp = regex_replace(timestamp(), "[- TZ:]", "")
  remote    = "/tmp/sweep-ami"
  provision_args = join(" ", [
    "--efs-id", var.efs_id,
    "--mount-type", var.mount_type,
    "--region", var.region,
    "--stop-timeout", var.stop_timeout,
  ])
}

source "amazon-ebs" "gpu" {
  region          = var.region
  source_ami      = data.amazon-parameterstore.source_ami.value
  instance_type   = var.instance_type
  ssh_username    = var.ssh_username
  subnet_id       = var.subnet_id == "" ? null : var.subnet_id
  ami_name        = "${var.ami_name_prefix}-${local.timestamp}"
  ami_description = "sweep GPU worker for AWS Batch/ECS (base ${data.amazon-parameterstore.source_ami.value}, EFS ${var.efs_id})"

  launch_block_device_mappings {
    device_name           = var.root_device_name
    volume_size           = var.volume_size_gb
    volume_type           = "gp3"
    delete_on_termination = true
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }

  tags = {
    Name      = "${var.ami_name_prefix}-${local.timestamp}"
    SourceAMI = data.amazon-parameterstore.source_ami.value
    EfsId     = var.efs_id
    BuiltBy   = "sweep ami/gpu-ami.pkr.hcl"
  }
}

build {
  sources = ["source.amazon-ebs.gpu"]

  # 1. upload ami/ (provision.sh, cleanup.sh, verify.sh, lib.sh)
  provisioner "shell" {
    inline = ["mkdir -p ${local.remote}"]
  }

  provisioner "file" {
    sources     = ["${path.root}/provision.sh", "${path.root}/cleanup.sh", "${path.root}/verify.sh", "${path.root}/lib.sh"]
    destination = "${local.remote}/"
  }

  # 2. provision (idempotent; a failed build can be re-run on the same instance)
  provisioner "shell" {
    inline = [
      "sudo bash ${local.remote}/provision.sh --dry-run ${local.provision_args}",
      "sudo bash ${local.remote}/provision.sh ${local.provision_args}",
    ]
  }

  # 3. optional smoke test on the build instance (GPU instance type, EFS reachable from the build
  #    subnet): host and container nvidia-smi, ecs.config, writable /storage. The ECS agent is
  #    deliberately not started here (it would register and leave state), so its registration and
  #    GPU inventory are checked on an instance launched from the AMI: see ami/README.md.
  provisioner "shell" {
    inline = var.run_verify ? [
      "sudo mount /storage",
      "sudo bash ${local.remote}/verify.sh --no-agent --no-inventory",
      "sudo umount /storage",
    ] : ["echo 'verify.sh skipped (run_verify = false)'"]
  }

  # 4. cleanup LAST: no agent state, cloud-init state, SSH keys or machine-id in the snapshot
  provisioner "shell" {
    inline = [
      "sudo bash ${local.remote}/cleanup.sh --yes",
      "sudo rm -rf ${local.remote}",
    ]
  }
}
