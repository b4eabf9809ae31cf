#!/bin/sh
# setup-debian.sh — installs every Debian package adbit and its tests need (run as root).
#   build:        pkg-config libldns-dev (the addon links the system ldns)
#   test world:   nsd (authoritative servers), ldnsutils + bind9-utils (zone signers and key
#                 generators), unbound (differential oracle), bind9-dnsutils + knot-dnsutils
#                 (dig, delv, kdig as real clients), openssl (test certificates, `openssl speed`)
#   fuzzing:      clang + libclang-rt-14-dev (libFuzzer with ASan/UBSan)
#   benchmarks:   dnsperf
#   DANE oracle:  Postfix's posttls-finger, unpacked (not installed: no postinst runs and no mail
#                 server starts) into /opt/adbit-postfix with the libraries it links
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
  pkg-config libldns-dev \
  nsd ldnsutils bind9-utils unbound bind9-dnsutils knot-dnsutils openssl \
  clang libclang-rt-14-dev \
  dnsperf
# posttls-finger: unpack the postfix .deb instead of installing it (the tests look in
# $ADBIT_POSTFIX_ROOT, then /opt/adbit-postfix).
apt-get install -y -q --no-install-recommends libicu72 libdb5.3 libnsl2 libsasl2-2
if [ ! -x /opt/adbit-postfix/usr/sbin/posttls-finger ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download postfix && dpkg-deb -x postfix_*.deb /opt/adbit-postfix)
  rm -rf "$tmp"
fi
