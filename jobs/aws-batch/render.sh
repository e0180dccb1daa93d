#!/usr/bin/env bash
# Fills the ${PLACEHOLDERS} of an AWS request template (jobs/aws-batch/*.json, and the serving
# templates jobs/aws-serve/*.json: ECS, Lambda, IAM) and prints the request body, ready for
# `aws <service> <operation> --cli-input-json file://...` (IAM: a policy document for
# --policy-document / --assume-role-policy-document file://...).
#
# Usage: jobs/aws-batch/render.sh [--set KEY=VALUE]... [-o OUT] TEMPLATE.json
#        jobs/aws-batch/render.sh --list        (placeholders, defaults and formats)
#
# Every value is checked against its format (an account id is 12 digits, an EFS id starts with
# fs-, ...). Unknown keys, malformed values and placeholders left unfilled are errors (exit 2).
# Numbers are written as JSON numbers and lists ("a,b,c") as JSON string lists, so the
# templates stay valid JSON before and after rendering. Placeholders are documented in
# jobs/README.md.
set -euo pipefail

# name, kind (string, int, list), format (extended regex of one value or list item), default
# ("-": required). Space separated: formats hold no spaces.
SPEC=(
  "NAME string [A-Za-z0-9][A-Za-z0-9_-]{0,100} sweep"
  "ACCOUNT_ID string [0-9]{12} -"
  "REGION string [a-z]{2}(-[a-z]+)+-[0-9] -"
  "IMAGE string [a-z0-9][a-z0-9./_:@-]* -"
  "JOB_ROLE_ARN string arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+ -"
  "EXECUTION_ROLE_ARN string arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+ -"
  "EFS_ID string fs-[0-9a-f]{8,40} -"
  "ACCESS_POINT_ID string fsap-[0-9a-f]{8,40} -"
  "AMI_ID string ami-[0-9a-f]{8,40} -"
  "INSTANCE_PROFILE string [A-Za-z0-9+=,.@_-]{1,128} ecsInstanceRole"
  "SUBNET_IDS list subnet-[0-9a-f]{8,40} -"
  "SECURITY_GROUP_IDS list sg-[0-9a-f]{8,40} -"
  "GPU_INSTANCE_TYPES list [a-z][a-z0-9-]*\.[a-z0-9]+ g4dn.xlarge,g5.xlarge,g6.xlarge"
  "QUEUE_NAME string [A-Za-z0-9][A-Za-z0-9_-]{0,127} -"
  "COMPUTE_ENVIRONMENT string [A-Za-z0-9][A-Za-z0-9_:/-]{0,1023} -"
  "GPUS string [1-9][0-9]? 1"
  "VCPUS string (0\.25|0\.5|[1-9][0-9]{0,2}) 4"
  "MEMORY_MIB string [1-9][0-9]{2,6} 14336"
  "ASSIGN_PUBLIC_IP string ENABLED|DISABLED ENABLED"
  "ATTEMPTS int ([1-9]|10) 3"
  "TIMEOUT_SECONDS int ([6-9][0-9]|[1-9][0-9]{2,7}) 86400"
  "MAX_VCPUS int [1-9][0-9]{0,6} 256"
  "PRIORITY int [0-9]{1,4} 1"
  "BUCKET string [a-z0-9][a-z0-9.-]{1,61}[a-z0-9] -"
  "PREFIX string [A-Za-z0-9_.=-]+(/[A-Za-z0-9_.=-]+)* -"
  "TASK_ROLE_ARN string arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+ -"
  "FUNCTION_ROLE_ARN string arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+ -"
  "CLUSTER string [A-Za-z0-9][A-Za-z0-9_-]{0,254} default"
  "LOG_GROUP string [A-Za-z0-9_/.#-]{1,512} /sweep/serve"
  "SERVE_POLICY string best|latest best"
  "POLL_SECONDS string [1-9][0-9]{0,4} 30"
  "SERVE_CPU string 256|512|1024|2048|4096 1024"
  "SERVE_MEMORY_MIB string [1-9][0-9]{2,5} 2048"
  "DESIRED_COUNT int [0-9]{1,3} 1"
  "LAMBDA_MEMORY_MIB int [1-9][0-9]{2,4} 1024"
  "LAMBDA_TIMEOUT_SECONDS int [1-9][0-9]{0,2} 30"
  "FUNCTION_URL_AUTH string AWS_IAM|NONE AWS_IAM"
)

die() { echo "render.sh: $*" >&2; exit 2; }

declare -A kind=() format=() value=()
for row in "${SPEC[@]}"; do
  read -r name k fmt default <<<"$row"
  kind[$name]=$k
  format[$name]=$fmt
  [[ $default == - ]] || value[$name]=$default
done

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

list() {
  printf '%-20s %-6s %-40s %s\n' KEY KIND FORMAT DEFAULT
  for row in "${SPEC[@]}"; do
    name=${row%% *}
    printf '%-20s %-6s %-40s %s\n' "$name" "${kind[$name]}" "${format[$name]}" "${value[$name]:-(required)}"
  done
  exit 0
}

check() {  # check NAME VALUE
  local name=$1 v=$2 item
  [[ -n ${kind[$name]:-} ]] || die "unknown key '$name' (see --list)"
  if [[ ${kind[$name]} == list ]]; then
    [[ -n $v ]] || die "$name: empty list"
    IFS=',' read -r -a items <<<"$v"
    for item in "${items[@]}"; do
      [[ $item =~ ^(${format[$name]})$ ]] || die "$name: '$item' does not match ${format[$name]}"
    done
  else
    [[ $v =~ ^(${format[$name]})$ ]] || die "$name: '$v' does not match ${format[$name]}"
  fi
}

out=""
template=""
while (($#)); do
  case $1 in
    --set) (($# >= 2)) || die "--set needs KEY=VALUE"
           [[ $2 == *=* ]] || die "--set $2: expected KEY=VALUE"
           check "${2%%=*}" "${2#*=}"; value[${2%%=*}]=${2#*=}; shift 2 ;;
    --set=*) kv=${1#--set=}; [[ $kv == *=* ]] || die "$1: expected KEY=VALUE"
           check "${kv%%=*}" "${kv#*=}"; value[${kv%%=*}]=${kv#*=}; shift ;;
    -o) (($# >= 2)) || die "-o needs a file"; out=$2; shift 2 ;;
    --list) list ;;
    -h|--help) usage 0 ;;
    -*) die "unknown option $1" ;;
    *) [[ -z $template ]] || die "one template only"; template=$1; shift ;;
  esac
done
[[ -n $template ]] || usage 2
[[ -r $template ]] || die "cannot read $template"

text=$(<"$template")
# shellcheck disable=SC2016 # literal ${NAME} patterns
used=$(grep -oE '[$][{][A-Za-z_][A-Za-z0-9_]*[}]' "$template" | sort -u | tr -d '${}' || true)
missing=()
for name in $used; do
  [[ -n ${kind[$name]:-} ]] || die "$template: unknown placeholder \${$name}"
  if [[ -z ${value[$name]+x} ]]; then missing+=("$name"); continue; fi
  v=${value[$name]}
  check "$name" "$v"
  case ${kind[$name]} in
    int)  text=${text//\"\$\{$name\}\"/$v} ;;
    list) IFS=',' read -r -a items <<<"$v"
          joined=$(printf '"%s", ' "${items[@]}"); joined=${joined%, }
          text=${text//\"\$\{$name\}\"/$joined} ;;
  esac
  text=${text//\$\{$name\}/$v}
done
((${#missing[@]} == 0)) || die "$template: no value for ${missing[*]} (use --set KEY=VALUE)"
if [[ $text =~ \$\{[^}]*\} ]]; then die "$template: unfilled placeholder ${BASH_REMATCH[0]}"; fi

if command -v jq >/dev/null; then
  jq -e . >/dev/null <<<"$text" || die "$template: rendered text is not valid JSON"
fi
if [[ -n $out ]]; then
  printf '%s\n' "$text" >"$out.tmp.$$" && mv "$out.tmp.$$" "$out"
else
  printf '%s\n' "$text"
fi
