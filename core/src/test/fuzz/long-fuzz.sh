#!/usr/bin/env bash
# The long fuzz run of issue 13: Jazzer's standalone driver on dev.leakdx.fuzz.FuzzTarget (the capture
# opener and every extractor spec), seeded with the first 4 KiB of every case and sample file, for
# SECONDS (default 600). The corpus it grows is kept in target/fuzz-corpus (run again to go on);
# a crash is written to target/fuzz-findings/crash-*: copy it into
# core/src/test/resources/dev/leakdx/fuzz/FuzzHarnessTestInputs/captureAndExtractors/ with the fix, where
# FuzzSeedsTest and FuzzHarnessTest replay it for ever. Figures of a run: knowledge-base-docs/reliability.md.
# Usage: core/src/test/fuzz/long-fuzz.sh [SECONDS] [extra libFuzzer flags, e.g. -jobs=2]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
seconds="${1:-600}"; shift || true
cd "$here"
mvn -o -q -B test-compile -Dexec.skip=true
mvn -o -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz-classpath.txt
corpus=target/fuzz-corpus findings=target/fuzz-findings
mkdir -p "$corpus" "$findings"
if [ -z "$(ls -A "$corpus")" ]; then
  n=0
  while IFS= read -r -d '' f; do
    { printf '\0'; head -c 4096 "$f"; } > "$corpus/seed-$n"; n=$((n + 1))
  done < <(find cases core/src/test/resources/samples -type f ! -name expected.yaml -print0 | sort -z)
  echo "long-fuzz: $n seeds" >&2
fi
exec java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=off \
  -cp "target/test-classes:target/classes:$(cat target/fuzz-classpath.txt)" com.code_intelligence.jazzer.Jazzer \
  --target_class=dev.leakdx.fuzz.FuzzTarget --instrumentation_includes='dev.leakdx.**' \
  -max_total_time="$seconds" -rss_limit_mb=3072 -timeout=60 -artifact_prefix="$findings/" -print_final_stats=1 "$@" "$corpus"
