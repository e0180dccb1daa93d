#!/usr/bin/env bash
# Installs everything sweep needs on Debian 12 (build, demo and tests) and builds it.
# Does nothing that is already done: packages present are not reinstalled, the build is
# incremental. Usage: scripts/setup.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libeigen3-dev libyaml-cpp-dev libhdf5-dev hdf5-tools libfmt-dev libcurl4-openssl-dev
  libssl-dev zlib1g-dev libdeflate-dev libcli11-dev nlohmann-json3-dev googletest libgtest-dev libgmock-dev
  libbenchmark-dev rapidjson-dev libboost-dev
  python3-h5py python3-numpy python3-yaml python3-botocore python3-cryptography
  shellcheck bats tmux procps curl ca-certificates clang-format
  clang libclang-rt-14-dev
  wrk python3-flask gunicorn
  slurm-wlm munge debootstrap
  chromium

  dataset-fashion-mnist
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from elsewhere (e.g. a newer build); only install Debian's when absent.
command -v npm >/dev/null || missing+=(nodejs npm)
# Docker: Debian's docker.io unless an engine is there already (it conflicts with docker-ce).
if ! command -v dockerd >/dev/null &&
   ! dpkg-query -W -f='${Status}\n' docker-ce docker-ce-cli 2>/dev/null | grep -q "install ok installed"; then
  missing+=(docker.io)
fi
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  # dataset-fashion-mnist is optional: the demo falls back to synthetic data offline.
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    rest=()
    for p in "${missing[@]}"; do [[ $p == dataset-fashion-mnist ]] || rest+=("$p"); done
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${rest[@]}"
  fi
fi

# s3rver (npm) for the S3 tests, installed once into .cache/npm.
if command -v npm >/dev/null && [[ ! -f .cache/npm/node_modules/s3rver/bin/s3rver.js ]]; then
  echo "setup: installing s3rver into .cache/npm"
  mkdir -p .cache/npm
  npm install --prefix .cache/npm --no-audit --no-fund --silent s3rver@3.7.1 >/dev/null || \
    echo "setup: warning: could not install s3rver; S3 end-to-end tests will fail"
fi

# puppeteer-core (npm) drives Debian's chromium in the report test and bench; it never downloads
# a browser (only puppeteer, not puppeteer-core, does).
if command -v npm >/dev/null && [[ ! -f .cache/npm/node_modules/puppeteer-core/package.json ]]; then
  echo "setup: installing puppeteer-core into .cache/npm"
  mkdir -p .cache/npm
  npm install --prefix .cache/npm --no-audit --no-fund --silent puppeteer-core@23.11.1 >/dev/null || \
    echo "setup: warning: could not install puppeteer-core; the report browser test will skip"
fi

# @google-cloud/storage (npm), Google's official Node client: it proves the tests' loopback Cloud
# Storage (tests/gcs_fake_server.py) honest and reads and writes gs:// beside the product.
if command -v npm >/dev/null && [[ ! -f .cache/npm/node_modules/@google-cloud/storage/package.json ]]; then
  echo "setup: installing @google-cloud/storage into .cache/npm"
  mkdir -p .cache/npm
  npm install --prefix .cache/npm --no-audit --no-fund --silent @google-cloud/storage@7.17.1 >/dev/null || \
    echo "setup: warning: could not install @google-cloud/storage; gs:// end-to-end tests will fail"
fi

if [[ ${1:-} != --no-build ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build --parallel "$(nproc)"
fi
