# shellcheck shell=bash
# Shared helpers for ami/provision.sh, ami/cleanup.sh and ami/verify.sh.
#
# Conventions:
#   ROOT     file-system root every path is resolved under ("/" on a real host; a temp dir in tests).
#            Only *file paths* are redirected: commands (dnf, systemctl, docker...) still act on the
#            host, so use --root only with --dry-run or with the test stubs on PATH.
#   DRY_RUN  1: print every change as "would: ..." and change nothing.
#   CHANGES  number of changes made (or that would be made).
# Every mutation goes through change(), write_file(), ensure_dir() or remove_path().

# The last command of a pipeline (`... | write_file`) runs in this shell, so CHANGES counts it.
shopt -s lastpipe

ROOT=/
DRY_RUN=0
CHANGES=0
PROG=${PROG:-${0##*/}}

say() { printf '%s\n' "$*"; }
warn() { printf '%s: warning: %s\n' "$PROG" "$*" >&2; }
# die CODE MESSAGE...: 2 = bad input / unsupported system (nothing changed), 1 = a step failed.
die() {
  local code=$1
  shift
  printf '%s: error: %s\n' "$PROG" "$*" >&2
  exit "$code"
}

# p PATH: PATH under ROOT.
p() {
  if [[ $ROOT == / ]]; then
    printf '%s' "$1"
  else
    printf '%s%s' "${ROOT%/}" "$1"
  fi
}

# change DESCRIPTION: count and announce one change; returns 0 when it should be applied.
change() {
  CHANGES=$((CHANGES + 1))
  if ((DRY_RUN)); then
    say "would: $*"
    return 1
  fi
  say "change: $*"
  return 0
}

# run_change CMD ARGS...: run a mutating command (or only print it under --dry-run).
run_change() {
  if change "run: $*"; then
    "$@" || die 1 "command failed: $*"
  fi
}

# ensure_dir PATH [MODE]: PATH is a host path (resolved under ROOT).
ensure_dir() {
  local d
  d=$(p "$1")
  [[ -d $d ]] && return 0
  if change "create directory $1"; then
    mkdir -p "$d"
    [[ -n ${2:-} ]] && chmod "$2" "$d"
  fi
  return 0
}

# write_file PATH MODE < CONTENT: write CONTENT to PATH (under ROOT) only when it differs;
# fixes the mode only when it differs. Under --dry-run prints a diff instead.
write_file() {
  local path=$1 mode=$2 dest tmp cur_mode
  dest=$(p "$path")
  tmp=$(mktemp)
  cat >"$tmp"
  if [[ -f $dest ]] && cmp -s "$tmp" "$dest"; then
    rm -f "$tmp"
    cur_mode=$(stat -c %a "$dest")
    if [[ $cur_mode != "$mode" ]] && change "chmod $mode $path"; then
      chmod "$mode" "$dest"
    fi
    return 0
  fi
  local what="write $path"
  [[ -e $dest ]] || what="create $path"
  if change "$what"; then
    mkdir -p "$(dirname "$dest")"
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$dest"
  else
    if [[ -f $dest ]]; then
      diff -u --label "$path (now)" --label "$path (new)" "$dest" "$tmp" | sed 's/^/    /' || true
    else
      sed 's/^/    + /' "$tmp"
    fi
    rm -f "$tmp"
  fi
  return 0
}

# remove_path PATH...: host paths under ROOT; globs are expanded by the caller.
remove_path() {
  local f
  for f in "$@"; do
    [[ -e $f || -L $f ]] || continue
    if change "remove ${f#"${ROOT%/}"}"; then
      rm -rf -- "$f"
    fi
  done
}

# kv_merge FILE KEY=VALUE...: print FILE with each KEY's first line replaced by KEY=VALUE,
# later duplicates of KEY dropped, missing keys appended; every other line kept as is.
kv_merge() {
  local file=$1
  shift
  local src=/dev/null
  [[ -f $file ]] && src=$file
  awk -v pairs="$(printf '%s\n' "$@")" '
    BEGIN {
      n = split(pairs, lines, "\n")
      for (i = 1; i <= n; i++) {
        if (lines[i] == "") continue
        k = substr(lines[i], 1, index(lines[i], "=") - 1)
        want[k] = lines[i]; order[++m] = k
      }
    }
    {
      line = $0; key = line; sub(/^[ \t]*/, "", key)
      eq = index(key, "=")
      if (eq > 0) {
        key = substr(key, 1, eq - 1); sub(/[ \t]+$/, "", key)
        if (key in want) {
          if (!(key in done)) { print want[key]; done[key] = 1 }
          next
        }
      }
      print line
    }
    END { for (i = 1; i <= m; i++) if (!(order[i] in done)) print want[order[i]] }
  ' "$src"
}

# fstab_merge FILE MOUNTPOINT LINE: print FILE with the first non-comment entry for MOUNTPOINT
# replaced by LINE, other entries for it dropped, LINE appended when there was none.
fstab_merge() {
  local file=$1 mnt=$2 line=$3 src=/dev/null
  [[ -f $file ]] && src=$file
  awk -v mnt="$mnt" -v want="$line" '
    $0 !~ /^[ \t]*#/ && NF >= 2 && $2 == mnt { if (!done) { print want; done = 1 }; next }
    { print }
    END { if (!done) print want }
  ' "$src"
}

# json_valid FILE: true when FILE parses as JSON (jq, else python3).
json_valid() {
  if command -v jq >/dev/null 2>&1; then
    jq -e . "$1" >/dev/null 2>&1
  else
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null
  fi
}

# detect_os: sets OS_ID (al2023|ubuntu), OS_VERSION and PKG (dnf|apt) from ROOT/etc/os-release.
detect_os() {
  local f id="" ver=""
  f=$(p /etc/os-release)
  [[ -r $f ]] || die 2 "cannot read $f: unsupported system"
  id=$(sed -n 's/^ID=//p' "$f" | tr -d '"' | head -n1)
  ver=$(sed -n 's/^VERSION_ID=//p' "$f" | tr -d '"' | head -n1)
  case "$id:$ver" in
    amzn:2023*) OS_ID=al2023 PKG=dnf ;;
    ubuntu:22.04 | ubuntu:24.04) OS_ID=ubuntu PKG=apt ;;
    amzn:2) die 2 "Amazon Linux 2 is not supported (AWS is retiring the AL2 ECS AMIs); use Amazon Linux 2023" ;;
    *) die 2 "unsupported system '$id $ver' (supported: Amazon Linux 2023, Ubuntu 22.04/24.04)" ;;
  esac
  OS_VERSION=$ver
  export OS_ID OS_VERSION PKG
}

# set_root DIR: validate and set ROOT.
set_root() {
  [[ -n $1 ]] || die 2 "--root needs a directory"
  [[ -d $1 ]] || die 2 "--root $1: no such directory"
  ROOT=$(cd "$1" && pwd)
}
