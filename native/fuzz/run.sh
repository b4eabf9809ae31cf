#!/usr/bin/env bash
# run.sh SECONDS — builds the fuzzer, then runs it for SECONDS over the committed seed corpus
# (native/fuzz/corpus/) with new inputs kept in native/fuzz/corpus-work/ (gitignored).
# Exits non-zero when libFuzzer reports a crash, leak, sanitizer error or timeout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
seconds="${1:-60}"
bash "$here/build.sh"
mkdir -p "$here/corpus-work" "$here/out/artifacts"
"$here/out/fuzz_parse" -max_total_time="$seconds" -max_len=65535 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$here/out/artifacts/" \
  "$here/corpus-work" "$here/corpus"
