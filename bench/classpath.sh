#!/usr/bin/env bash
# Prints the class path of the benchmark's tools (dev.leakdx.bench: CaptureGenerator, ExtractBench,
# BatchBench, CheckReport), building what is missing first:
#
#   java -cp "$(bench/classpath.sh)" dev.leakdx.bench.CaptureGenerator --out DIR ...
#
# The tools are not in the product jar: they live in core/src/test/java/dev/leakdx/bench (the tests use the
# generator too) and are compiled here with javac against core/target/leakdx.jar into core/target/bench-classes,
# again whenever their sources or the jar are newer. The jar itself is built by ./leakdx as usual.
# Build messages go to stderr; stdout is the class path alone.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$here/core/src/test/java/dev/leakdx/bench"
out="$here/core/target/bench-classes"
stamp="$out/.built"
"$here/leakdx" --version >/dev/null   # builds core/target/leakdx.jar and core/target/lib when missing or stale
if [ ! -f "$stamp" ] || [ "$here/core/target/leakdx.jar" -nt "$stamp" ] \
   || [ -n "$(find "$src" -name '*.java' -newer "$stamp" -print -quit)" ]; then
  echo "bench: compiling the benchmark tools into $out" >&2
  rm -rf "$out" && mkdir -p "$out"
  javac -nowarn -encoding UTF-8 --release 17 -d "$out" -cp "$here/core/target/leakdx.jar:$here/core/target/lib/*" "$src"/*.java >&2
  touch "$stamp"
fi
printf '%s\n' "$here/core/target/leakdx.jar:$out:$here/core/target/lib/*"
