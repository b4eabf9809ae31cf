#!/usr/bin/env bash
# run.sh SECONDS — builds the fuzzers, then runs each target in turn for its share of SECONDS
# (total time = SECONDS, split evenly): fuzz_parse over native/fuzz/corpus/, fuzz_batch over
# native/fuzz/corpus-batch/ (made by make-batch-seeds.mjs), fuzz_reply over corpus-reply/. New inputs are kept per target in
# native/fuzz/corpus-work/<target>/ (gitignored). Every target runs even after one fails; exits
# non-zero when libFuzzer reported a crash, leak, sanitizer error or timeout in any of them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
seconds="${1:-60}"
bash "$here/build.sh"
mkdir -p "$here/out/artifacts"

# target  seed-corpus  max_len
targets=(
  "parse corpus 65535"
  "batch corpus-batch 8192"
  "reply corpus-reply 8192"
)
n=${#targets[@]}
share=$((seconds / n))
failed=()
for i in "${!targets[@]}"; do
  read -r name seeds maxlen <<<"${targets[$i]}"
  t=$share
  (( i == n - 1 )) && t=$((seconds - share * (n - 1)))  # the remainder goes to the last target
  (( t < 1 )) && t=1
  mkdir -p "$here/corpus-work/$name"
  echo "== fuzz_$name for ${t}s"
  if ! "$here/out/fuzz_$name" -max_total_time="$t" -max_len="$maxlen" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$here/out/artifacts/$name-" \
      "$here/corpus-work/$name" "$here/$seeds"; then
    failed+=("fuzz_$name")
  fi
done
if (( ${#failed[@]} > 0 )); then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "all fuzz targets clean"
