#!/usr/bin/env bash
# build.sh — libFuzzer + ASan + UBSan builds of the core into native/fuzz/out/:
#   fuzz_parse  parse (and, when present, canon) — no napi, no ldns, no OpenSSL;
#   fuzz_batch  batch + canon + crypto — no napi, no ldns; OpenSSL from the system libcrypto
#               (a standalone binary has no node to take the symbols from, unlike the addon);
#   fuzz_reply  reply_table (the serving cache: key, TTL layout, store/lookup) — no napi.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/../src"
out="$here/out"
mkdir -p "$out"
flags=(-std=c++17 -g -O1 -Wall -Wextra -fno-sanitize-recover=all -fsanitize=fuzzer,address,undefined)
sources=("$here/fuzz_parse.cc" "$src/parse.cc")
defines=()
if [[ -f "$src/canon.cc" && -f "$src/canon.h" ]]; then
  sources+=("$src/canon.cc")
  defines+=(-DADBIT_FUZZ_CANON)
fi
"${CXX:-clang++}" "${flags[@]}" "${defines[@]}" "${sources[@]}" -o "$out/fuzz_parse"
echo "built $out/fuzz_parse (${defines[*]:-parse only})"
"${CXX:-clang++}" "${flags[@]}" -pthread "$here/fuzz_batch.cc" "$src/batch.cc" "$src/canon.cc" "$src/crypto.cc" \
  -lcrypto -o "$out/fuzz_batch"
echo "built $out/fuzz_batch"
"${CXX:-clang++}" "${flags[@]}" -pthread "$here/fuzz_reply.cc" "$src/reply_table.cc" -o "$out/fuzz_reply"
echo "built $out/fuzz_reply"
