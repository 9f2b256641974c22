#!/usr/bin/env bash
# leakdx benchmark (issue 4), from a fresh clone, one command:
#
#   bench/run.sh            founding case 1's kmem -m at full scale (8,362,460 rows, 64 KiB pages, ~710 MB),
#                           a /proc capture cold and warm, batch throughput: a few minutes
#   bench/run.sh --large    also the 134 M-row table of a 512 GiB host with 4 KiB pages (~11 GB of text,
#                           written gzip'd: ~0.6 GB on disk), whose full diagnose runs under -Xmx256m
#
# Options: --runs N (timed runs per measure, median shown; default 3), --work DIR (generated captures,
# default target/bench), --large-format gz|plain (plain writes the 11 GB file as is), --keep (keep the
# generated captures; by default they are kept too, and regenerated only when the jar or the generator is newer).
#
# Side by side, on this machine, in one run: wc -l, the analysts' awk grouping
# (awk '{c[$2" "$3" "$4" "$5" "$6]++} END{for(k in c) print c[k], k}'), leakdx extraction alone and
# leakdx's full diagnose, on the same file; then cold and warm diagnose of a /proc capture against a
# bare `java -version`, and batch throughput. Prints a table (also written to WORK/results.md).
# Checks the answers: the injected population (661,713 pages with _refcount 0xffff over 17 node/zone
# values) must be found exactly by extraction and in the JSON report; exit 1 if not. Missed
# performance targets are reported, not failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

large=0 runs=3 work="" large_format=gz
while [ $# -gt 0 ]; do
  case "$1" in
    --large) large=1 ;;
    --runs) runs="$2"; shift ;;
    --work) work="$2"; shift ;;
    --large-format) large_format="$2"; shift ;;
    --keep) ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$large_format" =~ ^(gz|plain)$ ]] || { echo "bench/run.sh: --large-format gz|plain" >&2; exit 2; }
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: --runs N" >&2; exit 2; }
work="${work:-$here/core/target/bench}"

echo "bench: building leakdx (./leakdx --version) and the benchmark tools (bench/classpath.sh)..." >&2
version="$(./leakdx --version)"
mkdir -p "$work"
# the generator and timers are not in the product jar: bench/classpath.sh compiles them (core/src/test/java/dev/leakdx/bench)
CP="$(bench/classpath.sh)"
# the JVM flags ./leakdx runs with, for every java the benchmark starts (LEAKDX_JAVA_OPTS overrides both)
JOPTS="${LEAKDX_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto}"
# shellcheck disable=SC2206
JAVA=(java $JOPTS -Dorg.slf4j.simpleLogger.defaultLogLevel=off -cp "$CP")

wrong=0
out="$work/last.out" err="$work/last.err"
results="$work/results.md"
: > "$results"
say() { printf '%s\n' "$*" | tee -a "$results"; }

# seconds of one run of "$@" (stdout to $out, stderr to $err); exit codes 0 and 1 are normal for diagnose.
# With GNU time, the run's peak RSS (KiB) is appended to $rssfile.
rssfile="$work/rss"
gnutime=0; [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 && gnutime=1
once() {
  local s e rc=0
  s=$(date +%s%N)
  if [ "$gnutime" = 1 ]; then
    /usr/bin/time -f %M -a -o "$rssfile" "$@" >"$out" 2>"$err" || rc=$?
  else
    "$@" >"$out" 2>"$err" || rc=$?
  fi
  e=$(date +%s%N)
  cat "$out" >> "$work/all.out"
  if [ "$rc" -gt 1 ]; then
    echo "bench: '$*' failed (exit $rc):" >&2; tail -5 "$err" >&2; return 1
  fi
  awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", (e - s) / 1e9 }'
}
# median seconds of $runs runs
median() {
  local i x t=()
  for ((i = 0; i < runs; i++)); do
    x=$(once "$@") || exit 1
    t+=("$x")
  done
  printf '%s\n' "${t[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }
mbs() { awk -v bytes="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f MiB/s", bytes / 1048576 / s; else print "-" }'; }
# the largest peak RSS of the runs since the last call, then forget them
peak() {
  if [ "$gnutime" = 1 ] && [ -s "$rssfile" ]; then
    grep -E '^[0-9]+$' "$rssfile" | sort -n | tail -1 | awk '{ printf "%.0f MiB", $1 / 1024 }'
  else printf 'n/a'; fi
  : > "$rssfile"
}
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" "$out" | head -1; }
prop() { sed -n "s/^$1=//p" "$2"; }

awk_bin="$(readlink -f "$(command -v awk)")"
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
say "# leakdx benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
say ""
say "machine: nproc $(nproc), $(free -g | awk '/^Mem:/ { print $2 " GiB RAM (free -g total), " $7 " GiB available" }'), CPU ${cpu:-unknown},"
say "load average at start $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1); awk is $(basename "$awk_bin"); $version"
say "JVM flags for leakdx runs: $JOPTS; each figure is the median of $runs runs unless marked (1 run)"
say ""

# ---------------------------------------------------------------------------------------------------
# generated captures: case 1 at full scale (and, with --large, a 512 GiB host with 4 KiB pages)

generate() { # DIR ARGS...: (re)generates when missing or older than the jar or the generator
  local dir="$1"; shift
  if [ ! -f "$dir.truth.properties" ] || [ "$here/core/target/leakdx.jar" -nt "$dir.truth.properties" ] \
     || [ "$here/core/target/bench-classes/.built" -nt "$dir.truth.properties" ]; then
    rm -rf "$dir" "$dir.truth.properties"
    echo "bench: generating $dir ..." >&2
    "${JAVA[@]}" dev.leakdx.bench.CaptureGenerator --out "$dir" --seed 1 "$@" >&2
  fi
}

check_extraction() { # TRUTH: the population found exactly by extraction alone
  local want pages vals
  want="$(prop population_pages "$1")"
  pages="$(field population)"
  vals="$(field population_node_zone_values)"
  if [ "$pages" = "$want" ] && [ "$vals" = "$(prop population_node_zone_values "$1")" ]; then
    echo "ok: extraction found $pages pages with _refcount 0xffff over $vals node/zone values"
  else
    echo "WRONG: extraction found ${pages:-nothing} pages over ${vals:-?} node/zone values; injected $want"
  fi
}

check_report() { # REPORT TRUTH
  local line
  line="$("${JAVA[@]}" dev.leakdx.bench.CheckReport "$1" "$2")" || true
  echo "${line:-WRONG: no answer check output}"
}

table_case() { # TITLE FILE DIR TRUTH READER(cat|gzip -dc) ONE_RUN(0|1) HEAP
  local title="$1" file="$2" dir="$3" truth="$4" reader="$5" one="$6" heap="$7"
  local bytes rows t_wc t_awk t_ex t_in t_dx rss_ex rss_dx rss_awk dx_opts report checks=() r
  bytes=$(stat -c %s "$file")
  rows=$(prop rows "$truth")
  local saved_runs=$runs
  [ "$one" = 1 ] && runs=1
  say ""
  say "## $title"
  say ""
  cat "$file" > /dev/null # every tool reads it from the page cache, none from the disk
  if [ "$reader" = cat ]; then
    t_wc=$(median wc -l "$file")
    # shellcheck disable=SC2016
    : > "$rssfile"
    t_awk=$(median awk '{c[$2" "$3" "$4" "$5" "$6]++} END{for(k in c) print c[k], k}' "$file")
    rss_awk=$(peak)
    local plain=$bytes
  else
    local t_cat
    t_cat=$(median sh -c 'gzip -dc "$1" >/dev/null' sh "$file")
    t_wc=$(median sh -c 'gzip -dc "$1" | wc -l' sh "$file")
    # shellcheck disable=SC2016
    : > "$rssfile"
    t_awk=$(median sh -c 'gzip -dc "$1" | awk '"'"'{c[$2" "$3" "$4" "$5" "$6]++} END{for(k in c) print c[k], k}'"'" sh "$file")
    rss_awk=$(peak)
    local plain
    plain=$(gzip -dc "$file" | wc -c)
  fi
  : > "$rssfile"
  : > "$work/all.out"
  t_ex=$(median "${JAVA[@]}" dev.leakdx.bench.ExtractBench "$file")
  rss_ex=$(peak)
  # the median of the runs' own extraction times
  t_in=$(sed -n 's/.*extract_seconds=\([0-9.]*\).*/\1/p' "$work/all.out" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  checks+=("$(check_extraction "$truth")")
  # the same extraction through the CLI a user runs (launcher flags and class-data sharing archive)
  t_fx=$(median env LEAKDX_JAVA_OPTS="$JOPTS${heap:+ -Xmx$heap}" ./leakdx facts "$file" --summary)
  rss_fx=$(peak)
  report="$dir.report.json"
  dx_opts="$JOPTS${heap:+ -Xmx$heap}"
  t_dx=$(median env LEAKDX_JAVA_OPTS="$dx_opts" ./leakdx diagnose "$dir" --format json -o "$report")
  rss_dx=$(peak)
  checks+=("$(check_report "$report" "$truth")")
  runs=$saved_runs
  say "$(printf '%s rows, %s MiB of text' "$rows" "$((plain / 1048576))")$( [ "$reader" = cat ] || printf ', read from a %s MiB .gz (%s)' "$((bytes / 1048576))" "every command decompresses it: gzip -dc alone takes $t_cat s")"
  say ""
  say "| measure | wall s | text rate | vs awk grouping | vs wc -l | peak RSS |"
  say "|---|---:|---:|---:|---:|---:|"
  local pre=""
  [ "$reader" = cat ] || pre="gzip -dc FILE \\| " # a | escaped for the Markdown table
  say "| \`${pre}wc -l\` | $t_wc | $(mbs "$plain" "$t_wc") | | 1.0x | |"
  say "| awk grouping (\`${pre}awk '{c[\$2\" \"\$3\" \"\$4\" \"\$5\" \"\$6]++} ...'\`) | $t_awk | $(mbs "$plain" "$t_awk") | 1.0x | $(ratio "$t_awk" "$t_wc")x | $rss_awk |"
  say "| leakdx extraction alone (ExtractBench: JVM start, specs, extraction) | $t_ex | $(mbs "$plain" "$t_ex") | $(ratio "$t_awk" "$t_ex")x faster | $(ratio "$t_ex" "$t_wc")x | $rss_ex |"
  say "| leakdx extraction through the CLI (\`./leakdx facts FILE --summary\`) | $t_fx | $(mbs "$plain" "$t_fx") | $(ratio "$t_awk" "$t_fx")x faster | $(ratio "$t_fx" "$t_wc")x | $rss_fx |"
  say "| &nbsp;&nbsp;of which extraction itself (in the JVM) | $t_in | $(mbs "$plain" "$t_in") | $(ratio "$t_awk" "$t_in")x faster | $(ratio "$t_in" "$t_wc")x | |"
  say "| leakdx full diagnose (\`./leakdx diagnose DIR --format json\`${heap:+, -Xmx$heap}) | $t_dx | $(mbs "$plain" "$t_dx") | $(ratio "$t_awk" "$t_dx")x faster | $(ratio "$t_dx" "$t_wc")x | $rss_dx |"
  say ""
  for r in "${checks[@]}"; do
    say "- $r"
    [[ "$r" == ok:* ]] || wrong=1
  done
  # for the targets
  eval "${8}_fx=$t_fx ${8}_ex=$t_ex ${8}_in=$t_in ${8}_awk=$t_awk ${8}_wc=$t_wc ${8}_dx=$t_dx"
}

c1="$work/case1-64k"
generate "$c1" --pages 8362460 --page-size 64K --tables m,i
table_case "Founding case 1 at full scale: kmem -m of 8,362,460 pages of 64 KiB" "$c1/kmem-m.txt" "$c1" "$c1.truth.properties" cat 0 "" small

if [ "$large" = 1 ]; then
  c2="$work/case1-4k-512g"
  if [ "$large_format" = gz ]; then
    generate "$c2" --ram 512G --page-size 4K --tables m,i --compress gz
    table_case "512 GiB host, 4 KiB pages: kmem -m of 134,217,728 pages (gzip'd)" "$c2/kmem-m.txt.gz" "$c2" "$c2.truth.properties" "gzip -dc" 1 256m big
  else
    generate "$c2" --ram 512G --page-size 4K --tables m,i
    table_case "512 GiB host, 4 KiB pages: kmem -m of 134,217,728 pages" "$c2/kmem-m.txt" "$c2" "$c2.truth.properties" cat 1 256m big
  fi
fi

# ---------------------------------------------------------------------------------------------------
# start-up: a small /proc capture, cold (a new process each time) and warm (in a process that has
# diagnosed it before), against a bare JVM

proc=cases/lab-thp-proc
t_java=$(median java -version)
once ./leakdx diagnose "$proc" --format json -o "$work/proc.json" >/dev/null # OS caches warm, build checked
t_cold=$(median ./leakdx diagnose "$proc" --format json -o "$work/proc.json")
"${JAVA[@]}" dev.leakdx.bench.BatchBench --rounds 200 "$proc" >"$out" 2>"$err"
t_kb=$(field kb_build_seconds) t_warm=$(field warm_median_seconds) per_s=$(field captures_per_second)
# the CLI's batch mode: the same capture 200 times after `diagnose`, one process, one KieBase, every core
# (-j default) and one (-j 1); captures/s after start-up = 199 / (batch time - one-capture time)
caps=(); for ((i = 0; i < 200; i++)); do caps+=("$proc"); done
t_b1=$(median ./leakdx diagnose "$proc" --format json -o "$work/batch.json")
t_b200=$(median ./leakdx diagnose "${caps[@]}" --format json -o "$work/batch.json")
t_b200j1=$(median ./leakdx diagnose -j 1 "${caps[@]}" --format json -o "$work/batch.json")
[ "$(wc -l < "$work/batch.json")" = 200 ] || { say "- WRONG: the CLI batch wrote $(wc -l < "$work/batch.json") JSON lines, not 200"; wrong=1; }
cli_s=$(awk -v a="$t_b200" -v b="$t_b1" 'BEGIN { printf "%.1f", 199 / (a - b) }')
cli_s1=$(awk -v a="$t_b200j1" -v b="$t_b1" 'BEGIN { printf "%.1f", 199 / (a - b) }')
batch="CLI batch (\`./leakdx diagnose CAPTURE x200 --format json\`): $t_b200 s on $(nproc) threads, $cli_s captures/s after start-up; -j 1: $t_b200j1 s, $cli_s1 captures/s"
say ""
say "## Start-up and batch: $proc ($(find "$proc" -type f | wc -l) files, $(cat $(find "$proc" -type f) | wc -l) lines)"
say ""
say "| measure | wall s | vs \`java -version\` |"
say "|---|---:|---:|"
say "| \`java -version\` | $t_java | 1.0x |"
say "| cold diagnose (\`./leakdx diagnose $proc --format json\`, a new JVM) | $t_cold | $(ratio "$t_cold" "$t_java")x |"
say "| &nbsp;&nbsp;KieBase build alone (in BatchBench, 1 run) | $t_kb | $(ratio "$t_kb" "$t_java")x |"
say "| warm diagnose (same capture again in one JVM: BatchBench median of 199) | $t_warm | $(ratio "$t_warm" "$t_java")x |"
say ""
say "- batch: $batch; in one process (BatchBench, one Diagnoser, 200 diagnoses down to JSON): $per_s captures/s after start-up"

# ---------------------------------------------------------------------------------------------------
target() { # TEXT OK(0/1)
  if [ "$2" = 1 ]; then say "- met: $1"; else say "- MISSED: $1"; fi
}
# OK(0/1) of a comparison; a missing figure is a miss
cmp() { awk -v v="$1" "BEGIN { print (v != \"\" && v != \"-\" && v $2) ? 1 : 0 }"; }
say ""
say "## Issue 4 targets"
say ""
f=$(ratio "$small_awk" "$small_ex")
target "extraction of the 8.4 M-row kmem -m at least 5x faster than the awk grouping: ${f}x (ExtractBench process), $(ratio "$small_awk" "$small_fx")x (\`leakdx facts\`), in-JVM extraction alone: $(ratio "$small_awk" "$small_in")x" "$(cmp "$f" ">= 5")"
f=$(ratio "$small_ex" "$small_wc")
target "extraction within 10x of wc -l: ${f}x (in-JVM: $(ratio "$small_in" "$small_wc")x)" "$(cmp "$f" "<= 10")"
if [ "$large" = 1 ]; then
  target "full diagnose of the 134 M-row file under -Xmx256m: done in $big_dx s with the answer checked above" 1
else
  say "- not run: the 134 M-row diagnose under -Xmx256m (bench/run.sh --large)"
fi
target "cold diagnose of a /proc capture under 1.5 s: $t_cold s ($(ratio "$t_cold" "$t_java")x java -version)" "$(cmp "$t_cold" "< 1.5")"
target "batch at least 50 small captures/s after start-up: CLI $cli_s/s ($(nproc) threads), $cli_s1/s (-j 1); in-process single-threaded $per_s/s" "$(cmp "$cli_s" ">= 50")"
say ""
say "load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench: table written to $results" >&2
if [ "$wrong" != 0 ]; then echo "bench: WRONG ANSWER (see above)" >&2; exit 1; fi
