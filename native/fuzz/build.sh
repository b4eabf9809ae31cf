#!/usr/bin/env bash
# build.sh — libFuzzer + ASan + UBSan build of the parse (and, when present, canon) core into
# native/fuzz/out/fuzz_parse. Core .cc files only: no napi, no ldns, no OpenSSL.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/../src"
out="$here/out"
mkdir -p "$out"
sources=("$here/fuzz_parse.cc" "$src/parse.cc")
defines=()
if [[ -f "$src/canon.cc" && -f "$src/canon.h" ]]; then
  sources+=("$src/canon.cc")
  defines+=(-DADBIT_FUZZ_CANON)
fi
"${CXX:-clang++}" -std=c++17 -g -O1 -Wall -Wextra -fno-sanitize-recover=all \
  -fsanitize=fuzzer,address,undefined "${defines[@]}" "${sources[@]}" -o "$out/fuzz_parse"
echo "built $out/fuzz_parse (${defines[*]:-parse only})"
