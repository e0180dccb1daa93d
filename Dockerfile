# sweep-worker image (CPU): `docker build -t sweep-worker .` (see jobs/README.md for ECR); the
# targets `serve` and `lambda` are the same image with `sweep serve` as entrypoint.
# Multi-stage: compile on Debian 12 with the -dev packages, ship Debian 12 slim with only the
# shared libraries the two programs need: HDF5, yaml-cpp and fmt are linked in statically
# (SWEEP_STATIC_DEPS), so ldd shows only libsz/libaec (HDF5's szip filter) and zlib; libcurl
# (with OpenSSL) is loaded with dlopen on the first s3://, gs:// or HTTP request, and OpenSSL's
# libcrypto.so.3 (libcurl4's libssl3) on the first Google service-account key to sign.
# Runs as the unprivileged user 10001; results go to /storage (EFS, a PVC or a bind mount).
# tests/docker_image_test.sh builds this file on a Debian 12 base made with debootstrap (passed
# as DEBIAN_IMAGE / DEBIAN_SLIM_IMAGE) and runs a row in it.
ARG DEBIAN_IMAGE=debian:12
ARG DEBIAN_SLIM_IMAGE=debian:12-slim

FROM ${DEBIAN_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config \
      libeigen3-dev libyaml-cpp-dev libhdf5-dev libfmt-dev libcurl4-openssl-dev libssl-dev \
      zlib1g-dev libdeflate-dev libcli11-dev nlohmann-json3-dev rapidjson-dev libboost-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# SWEEP_ARCH: -march of the model's kernels. The default x86-64-v3 (AVX2+FMA) runs on every
# current AWS instance type; `--build-arg SWEEP_ARCH=x86-64` for older hosts. Never -march=native:
# the image must not depend on the machine that built it. BUILD_JOBS: compile jobs (default nproc).
ARG SWEEP_ARCH=x86-64-v3
ARG BUILD_JOBS=
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSWEEP_ARCH=${SWEEP_ARCH} \
      -DSWEEP_BUILD_TESTS=OFF -DSWEEP_BUILD_BENCH=OFF -DCMAKE_INSTALL_PREFIX=/opt/sweep \
 && cmake --build /build --parallel ${BUILD_JOBS:-$(nproc)} \
 && cmake --install /build --strip

FROM ${DEBIAN_SLIM_IMAGE} AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libsz2 zlib1g libcurl4 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 sweep \
 && useradd --uid 10001 --gid 10001 --create-home --shell /usr/sbin/nologin sweep \
 && install -d -o sweep -g sweep /storage
COPY --from=build /opt/sweep/bin/sweep-worker /opt/sweep/bin/sweep /usr/local/bin/
# HDF5 file locking fails on NFS/EFS (errno 37/524): off before the library starts.
ENV HDF5_USE_FILE_LOCKING=FALSE \
    SWEEP_STORAGE=/storage
USER 10001:10001
WORKDIR /home/sweep
ENTRYPOINT ["sweep-worker"]

# `docker build --target serve -t sweep-serve .`: `sweep serve` on 0.0.0.0 (port 8501; ECS/Fargate,
# Vertex AI: AIP_HTTP_PORT wins); the run's arguments are MODEL and flags.
FROM runtime AS serve
EXPOSE 8501
ENTRYPOINT ["sweep", "serve", "--host", "0.0.0.0"]

# `docker build --target lambda -t sweep-lambda .`: an AWS Lambda container image; `sweep serve`
# is the custom runtime (AWS_LAMBDA_RUNTIME_API), the function's ImageConfig.Command gives MODEL.
FROM runtime AS lambda
ENV SWEEP_CACHE_DIR=/tmp/sweep-cache
ENTRYPOINT ["sweep", "serve"]

# The default target (last stage): the worker image.
FROM runtime AS worker
