# sweep-worker image (CPU): `docker build -t sweep-worker .` (see jobs/README.md for ECR).
# Multi-stage: compile on Debian 12 with the -dev packages, ship Debian 12 slim with only the
# shared libraries the two programs load (ldd: HDF5, libcurl, OpenSSL, yaml-cpp, fmt, zlib).
# Runs as the unprivileged user 10001; results go to /storage (EFS, a PVC or a bind mount).

FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config \
      libeigen3-dev libyaml-cpp-dev libhdf5-dev libfmt-dev libcurl4-openssl-dev libssl-dev \
      zlib1g-dev libcli11-dev nlohmann-json3-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Portable code: no -march=native (CMake never adds it), so the image runs on any x86-64 host.
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DSWEEP_BUILD_TESTS=OFF -DSWEEP_BUILD_BENCH=OFF -DCMAKE_INSTALL_PREFIX=/opt/sweep \
 && cmake --build /build --parallel \
 && cmake --install /build --strip

FROM debian:12-slim AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libhdf5-103-1 libcurl4 libssl3 libyaml-cpp0.7 libfmt9 zlib1g ca-certificates \
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
