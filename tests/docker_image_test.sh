#!/usr/bin/env bash
# The CPU image (Dockerfile, issue 5) built and run for real: a Debian 12 base made locally with
# debootstrap (Docker Hub is never contacted; the rootfs tarball is cached in
# .cache/docker-base/), `docker build --network host`, then: user 10001, entrypoint sweep-worker,
# no compiler or -dev package, every shared library found, a row trains from a bind-mounted spec
# and data into a bind-mounted /storage (model.h5 checked with h5py, result.json parsed), bad input
# exits 2, `docker stop` exits 143 with nothing published. The `serve` and `lambda` targets
# (issue 20): the serve image answers predictions equal to numpy's and drains on docker stop;
# the lambda image runs as a custom runtime against a loopback Runtime API.
# Engine: the one `docker` reaches; else a private dockerd started here as root (own data-root,
# exec-root, socket and pidfile under a temp folder; stopped by pid at the end). Skips (77) when
# neither is possible. Images and containers made here are removed; the base tarball is kept.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

skip() { echo "skip: $*"; exit 77; }
ID=sweeptest-$$                              # unique names: runs may share a host daemon
IMG=sweep-worker:test-$$
BUILD_IMG=sweep-worker-build:test-$$         # the build stage, tagged so it can be removed too
BASE_IMG=sweep-test-debian:12-$$
SERVE_IMG=sweep-serve:test-$$                # the `serve` and `lambda` targets (issue 20)
LAMBDA_IMG=sweep-lambda:test-$$
BASE_TAR=$SWEEP_SOURCE_DIR/.cache/docker-base/debian-12-minbase-v2.tar
export DOCKER_BUILDKIT=0                     # the classic builder: same output on every client
command -v docker >/dev/null || skip "no docker client (apt-get install docker.io)"

# --- engine ---------------------------------------------------------------------------------
# Cleanups run in the order registered: containers and images go before a private dockerd stops.
docker_cleanup() {
  local c
  mapfile -t c < <(timeout 30 docker ps -aq --filter "name=^$ID-" 2>/dev/null || true)
  ((${#c[@]} == 0)) || timeout 60 docker rm -f "${c[@]}" >/dev/null 2>&1 || true
  timeout 120 docker rmi -f "$IMG" "$SERVE_IMG" "$LAMBDA_IMG" "$BUILD_IMG" "$BASE_IMG" >/dev/null 2>&1 || true
}
on_exit docker_cleanup
D=""
DOCKERD_PID=""
stop_dockerd() {
  [[ -n $DOCKERD_PID ]] || return 0
  kill "$DOCKERD_PID" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$DOCKERD_PID" 2>/dev/null || true
  # Whatever dockerd left mounted under its folders, deepest first, then the folder itself.
  findmnt -rn -o TARGET | { grep "^$D/" || true; } | sort -r | while read -r m; do umount -l "$m" || true; done
  rm -rf --one-file-system "$D"
}
start_dockerd() {
  [[ $(id -u) == 0 ]] || skip "no docker engine reachable and not root: cannot start dockerd"
  command -v dockerd >/dev/null || skip "no docker engine reachable and no dockerd (apt-get install docker.io)"
  # Short path: containerd's socket lives under the exec-root (sun_path is 108 bytes).
  D=$(mktemp -d /tmp/sweep-dockerd.XXXXXX)
  echo '{}' >"$D/daemon.json"                # never the host's /etc/docker/daemon.json
  dockerd --config-file "$D/daemon.json" --iptables=false --bridge=none \
    --data-root "$D/data" --exec-root "$D/exec" --pidfile "$D/dockerd.pid" \
    -H "unix://$D/docker.sock" >"$D/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  on_exit stop_dockerd
  export DOCKER_HOST=unix://$D/docker.sock
  local deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do
    timeout 10 docker info >/dev/null 2>&1 && return 0
    kill -0 "$DOCKERD_PID" 2>/dev/null || break
    sleep 0.1
  done
  tail -n 15 "$D/dockerd.log"
  skip "dockerd did not start (no root privileges or kernel support?); its log is above"
}
if timeout 20 docker info >/dev/null 2>&1; then
  echo "engine: the one docker reaches ($(docker context show 2>/dev/null || echo default))"
else
  start_dockerd
  echo "engine: a private dockerd (pid $DOCKERD_PID) in $D"
fi
pass "docker engine $(timeout 20 docker version -f '{{.Server.Version}}')"

# --- base image: debootstrap once, cached --------------------------------------------------
ROOTFS=$T/rootfs
# Unmounts anything debootstrap may leave mounted if it is interrupted, before $T is removed.
unmount_rootfs() {
  findmnt -rn -o TARGET | { grep "^$ROOTFS/" || true; } | sort -r | while read -r m; do umount -l "$m" || true; done
}
make_base_tar() {
  [[ $(id -u) == 0 ]] || skip "no cached $BASE_TAR and debootstrap needs root"
  command -v debootstrap >/dev/null || skip "no debootstrap (apt-get install debootstrap)"
  local r=$ROOTFS t0=$SECONDS
  on_exit unmount_rootfs
  timeout 900 debootstrap --variant=minbase bookworm "$r" http://deb.debian.org/debian \
    >"$T/debootstrap.log" 2>&1 || { tail -n 20 "$T/debootstrap.log"; fail "debootstrap failed"; }
  # apt sources as in Docker's debian:12 (deb822), so `apt-get update` in a build sees updates
  # and security too.
  rm -f "$r/etc/apt/sources.list"
  cat >"$r/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # Slim like debian:12-slim: no docs (copyright kept), man pages or translations, now or later.
  cat >"$r/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
  # And apt keeps no .deb files or package caches in image layers (as Docker's debian images do).
  cat >"$r/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$r/etc/apt/apt.conf.d/docker-no-languages"
  find "$r/usr/share/doc" -type f ! -name copyright -delete
  rm -rf "$r"/usr/share/{man,groff,info,locale,lintian}/* "$r"/var/cache/apt/* \
    "$r"/var/lib/apt/lists/* "$r"/var/log/* "$r"/tmp/*
  : >"$r/etc/resolv.conf"
  : >"$r/etc/hostname"
  mkdir -p "$(dirname "$BASE_TAR")"
  tar --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
    -C "$r" -cf "$BASE_TAR.tmp.$$" . || fail "tar of the rootfs"
  mv "$BASE_TAR.tmp.$$" "$BASE_TAR"
  rm -rf --one-file-system "$r"
  echo "made $BASE_TAR ($(du -h "$BASE_TAR" | cut -f1)) in $((SECONDS - t0)) s"
}
if [[ -s $BASE_TAR ]]; then echo "base: cached $BASE_TAR"; else make_base_tar; fi
timeout 300 docker import "$BASE_TAR" "$BASE_IMG" >/dev/null || fail "docker import"
pass "base image $BASE_IMG from the debootstrap tarball"

# --- build ----------------------------------------------------------------------------------
build() {  # extra docker build args...
  timeout 1500 docker build --network host --build-arg "DEBIAN_IMAGE=$BASE_IMG" \
    --build-arg "DEBIAN_SLIM_IMAGE=$BASE_IMG" --build-arg "BUILD_JOBS=${SWEEP_DOCKER_JOBS:-2}" \
    "$@" "$SWEEP_SOURCE_DIR" >"$T/build.log" 2>&1 || { tail -n 40 "$T/build.log"; fail "docker build $*"; }
}
t0=$SECONDS
build --target build -t "$BUILD_IMG"
build -t "$IMG"
# The context is the source tree minus .dockerignore: build folders and .cache stay out.
ctx=$(grep -m1 '^Sending build context' "$T/build.log" || true)
echo "${ctx:-no context line}; build took $((SECONDS - t0)) s"
if [[ $ctx =~ ([0-9.]+)([kMG]?B)$ ]]; then
  [[ ${BASH_REMATCH[2]} == kB || ${BASH_REMATCH[2]} == B ||
     (${BASH_REMATCH[2]} == MB && ${BASH_REMATCH[1]%.*} -lt 20) ]] || fail "build context too large: $ctx"
fi
size=$(timeout 20 docker image inspect -f '{{.Size}}' "$IMG")
pass "built $IMG: $((size / 1000000)) MB"

# --- the image's contract -------------------------------------------------------------------
in_image() { timeout 120 docker run --rm --network none --name "$ID-$RANDOM" "$@"; }
[[ $(docker image inspect -f '{{.Config.User}} {{json .Config.Entrypoint}}' "$IMG") == '10001:10001 ["sweep-worker"]' ]] \
  || fail "user/entrypoint: $(docker image inspect -f '{{.Config.User}} {{json .Config.Entrypoint}}' "$IMG")"
[[ $(in_image --entrypoint id "$IMG" -u) == 10001 ]] || fail "not running as uid 10001"
in_image "$IMG" --help >"$T/help" 2>&1 || { cat "$T/help"; fail "sweep-worker --help in the image"; }
grep -q -- --params "$T/help" || fail "--help does not list --params"
pass "runs as uid 10001; entrypoint sweep-worker (--help works)"

# shellcheck disable=SC2016 # expanded by the container's shell
in_image --entrypoint sh "$IMG" -c \
  'for p in cc gcc g++ c++ cmake ninja make ld; do command -v $p; done; dpkg-query -W -f "\${Package}\n" | grep -E -- "-dev$|^build-essential$"' \
  >"$T/tools" || true
[[ ! -s $T/tools ]] || fail "build tools in the runtime image: $(tr '\n' ' ' <"$T/tools")"
in_image --entrypoint sh "$IMG" -c 'ldd /usr/local/bin/sweep-worker /usr/local/bin/sweep' >"$T/ldd" \
  || { cat "$T/ldd"; fail "ldd in the image"; }
! grep -q 'not found' "$T/ldd" || { cat "$T/ldd"; fail "missing shared libraries"; }
in_image --entrypoint sweep "$IMG" --version >/dev/null || fail "sweep --version in the image"
pass "no compiler, cmake or -dev package; every shared library found; sweep runs too"

# libcurl is loaded with dlopen (ldd cannot see it): an s3:// spec must reach the network code and
# fail on the connection (exit 75, retryable), not on a missing library.
in_image -e AWS_ACCESS_KEY_ID=a -e AWS_SECRET_ACCESS_KEY=b -e AWS_REGION=us-east-1 \
  -e AWS_ENDPOINT_URL=http://127.0.0.1:9 -e AWS_BATCH_JOB_ARRAY_INDEX=0 \
  "$IMG" --params s3://b/p.yml >"$T/curl" 2>&1 && fail "an unreachable s3:// spec succeeded"
if grep -q 'need libcurl' "$T/curl" || ! grep -q "Couldn't connect" "$T/curl"; then
  cat "$T/curl"; fail "libcurl not loadable in the image"
fi
pass "libcurl loads in the image (an s3:// spec reaches the network)"

# --- a real row: spec and data bind-mounted read-only, results on a bind-mounted /storage ----
mkdir -p "$T/spec" "$T/storage"
cp "$SWEEP_SOURCE_DIR/tests/data/zoo.csv" "$T/spec/"
cat >"$T/spec/p.yml" <<'YML'
- {dataset: "synthetic:blobs?rows=200&features=4&classes=3&seed=1", epochs: 1}
- {dataset: zoo.csv, hidden: [8], epochs: 30, batch_size: 16, validation_split: 0.2, seed: 3}
- {dataset: "synthetic:mnist?rows=3000", hidden: [256, 256], epochs: 5000, batch_size: 16, seed: 3}
YML
if [[ $(id -u) == 0 ]]; then chown 10001:10001 "$T/storage"; else chmod 0777 "$T/storage"; fi
chmod 0755 "$T" "$T/spec"
chmod 0644 "$T"/spec/*
MOUNTS=(-v "$T/spec:/spec:ro" -v "$T/storage:/storage")
# No --storage: the image's SWEEP_STORAGE=/storage is the default.
in_image "${MOUNTS[@]}" -e AWS_BATCH_JOB_ARRAY_INDEX=1 "$IMG" --params /spec/p.yml >"$T/log" 2>&1 \
  || { cat "$T/log"; fail "row 1 did not train in the container"; }
S=$T/storage
[[ -f $S/1/model/model.h5 && -f $S/1/result.json ]] || { cat "$T/log"; fail "row 1 not published"; }
[[ $(json_get "$S/1/result.json" 'd["index"], d["status"], d["params"]["hidden"], d["epochs"], d["attempt"]') == "1 succeeded [8] 30 1" ]] \
  || fail "result.json: $(cat "$S/1/result.json")"
json_get "$S/1/result.json" 'd["metrics"]["val_accuracy"]' >/dev/null || fail "no val_accuracy"
"$PY" "$SWEEP_SOURCE_DIR/tests/h5py_keras_check.py" "$S/1/model/model.h5" >"$T/h5" || fail "h5py check"
[[ $(grep -v '^OK' "$T/h5") == $'dense (16, 8) (8,)\ndense_1 (8, 7) (7,)' ]] || fail "layer shapes: $(cat "$T/h5")"
[[ $(stat -c %u "$S/1/result.json") == 10001 ]] || fail "result.json not owned by 10001"
[[ ! -e $S/0 && ! -e $S/2 ]] || fail "other rows published"
pass "row 1 trained in the container: /storage/1/model/model.h5 (h5py) and result.json"

# --- exit codes through docker --------------------------------------------------------------
code=0
in_image "${MOUNTS[@]}" -e AWS_BATCH_JOB_ARRAY_INDEX=7 "$IMG" --params /spec/p.yml >"$T/bad" 2>&1 || code=$?
[[ $code == 2 ]] || { cat "$T/bad"; fail "index out of range: expected exit 2, got $code"; }
grep -q "3 rows" "$T/bad" || { cat "$T/bad"; fail "exit 2 without the reason"; }
[[ ! -e $S/7 ]] || fail "bad input published something"
pass "bad input exits 2 through docker run: $(tail -n 1 "$T/bad")"

# docker stop: SIGTERM to the worker (PID 1 in the container) -> 143, nothing published.
C=$ID-stop
timeout 60 docker run -d --network none --name "$C" "${MOUNTS[@]}" -e AWS_BATCH_JOB_ARRAY_INDEX=2 \
  "$IMG" --params /spec/p.yml --threads 1 >/dev/null || fail "docker run -d"
training() {  # the worker logged an epoch (a file, not a pipe: grep -q would SIGPIPE docker logs)
  timeout 20 docker logs "$C" >"$T/stop.log" 2>&1 || true
  grep -q '^epoch ' "$T/stop.log"
}
deadline=$((SECONDS + 120))
while ((SECONDS < deadline)) && ! training; do
  [[ $(timeout 20 docker inspect -f '{{.State.Running}}' "$C") == true ]] || break
  sleep 0.2
done
training || { cat "$T/stop.log"; fail "row 2 did not start training"; }
timeout 90 docker stop -t 30 "$C" >/dev/null || fail "docker stop"
code=$(timeout 20 docker inspect -f '{{.State.ExitCode}}' "$C")
[[ $code == 143 ]] || { tail -n 5 "$T/stop.log"; fail "docker stop: expected exit 143, got $code"; }
[[ ! -e $S/2/result.json && ! -e $S/2/model/model.h5 ]] || fail "docker stop: published files"
timeout 60 docker rm "$C" >/dev/null
pass "docker stop: exit 143, nothing published"

# --- the serving images (issue 20): the `serve` and `lambda` targets of the same Dockerfile --
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/serve_lib.sh"
t0=$SECONDS
build --target serve -t "$SERVE_IMG"
build --target lambda -t "$LAMBDA_IMG"
echo "serve and lambda targets built in $((SECONDS - t0)) s (layers shared with the worker image)"
for i in "$SERVE_IMG" "$LAMBDA_IMG"; do
  [[ $(docker image inspect -f '{{.Config.User}}' "$i") == 10001:10001 ]] || fail "$i: not user 10001"
done
make_image_sweep "$T/s"
chmod -R a+rX "$T/s"
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
timeout 60 docker run -d --network host --name "$ID-serve" -v "$T/s:/models:ro" "$SERVE_IMG" \
  /models --port "$port" >/dev/null || fail "docker run $SERVE_IMG"
SERVE_URL=http://127.0.0.1:$port
for _ in $(seq 600); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$SERVE_URL/v2/health/ready") == 200 ]] && break
  sleep 0.1
done
"$PY" "$SERVE_CLIENT" check "$SERVE_URL" "$T/s/1/model/model.h5" 1 \
  || { timeout 20 docker logs "$ID-serve"; fail "predictions from the serve image"; }
timeout 60 docker stop -t 10 "$ID-serve" >/dev/null || fail "docker stop serve"
code=$(timeout 20 docker inspect -f '{{.State.ExitCode}}' "$ID-serve")
[[ $code == 0 ]] || { timeout 20 docker logs "$ID-serve"; fail "serve image: docker stop exit $code"; }
pass "serve image: user 10001, predictions equal numpy's, docker stop drains (exit 0)"

# The Lambda image as Lambda runs it: its entrypoint with the function's command (MODEL), the
# Runtime API (tests/lambda_runtime_api.py) on the host's loopback.
"$PY" "$SWEEP_SOURCE_DIR/tests/lambda_runtime_api.py" local "$T/s/1/model/model.h5" -- \
  timeout 120 docker run --rm --network host --name "$ID-lambda" -e AWS_LAMBDA_RUNTIME_API \
  -v "$T/s:$T/s:ro" "$LAMBDA_IMG" "$T/s/1/model/model.h5" >"$T/lambda.log" 2>&1 \
  || { cat "$T/lambda.log"; fail "the Lambda image as a custom runtime"; }
timeout 60 docker rm -f "$ID-lambda" >/dev/null 2>&1 || true
pass "lambda image: events, errors and deadline as the protocol says; $(grep -m1 'cold start' "$T/lambda.log") (docker run included)"

