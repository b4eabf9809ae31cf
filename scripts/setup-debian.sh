#!/bin/sh
# setup-debian.sh — installs every Debian package adbit and its tests need (run as root).
#   build:        pkg-config libldns-dev (the addon links the system ldns)
#   test world:   nsd (authoritative servers), ldnsutils + bind9-utils (zone signers and key
#                 generators), unbound (differential oracle), bind9-dnsutils + knot-dnsutils
#                 (dig, delv, kdig as real clients), openssl (test certificates, `openssl speed`)
#   fuzzing:      clang + libclang-rt-14-dev (libFuzzer with ASan/UBSan)
#   benchmarks:   dnsperf
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
  pkg-config libldns-dev \
  nsd ldnsutils bind9-utils unbound bind9-dnsutils knot-dnsutils openssl \
  clang libclang-rt-14-dev \
  dnsperf
