#!/usr/bin/env bash
# leakdx fleet benchmark (issue 16), from a fresh clone, one command:
#
#   bench/fleet.sh                  10,000 generated /proc captures (1,000 hosts x 10 days) + 300 crash transcripts
#   bench/fleet.sh --hosts 100      a tenth of it (1,000 /proc captures), for a quick look
#
# Builds leakdx (./leakdx --version) and the benchmark tools (bench/classpath.sh), writes the fleet with
# dev.leakdx.bench.FleetCaptureGenerator into WORK/captures (the truth beside it, WORK/captures.truth.tsv;
# written again only when the options, the jar or the generator changed), then times, one at a time:
#   (a) ./leakdx diagnose --batch WORK/captures --format json > WORK/verdicts.jsonl   (one JVM, -j every core)
#   (b) ./leakdx fleet WORK/captures -o WORK/fleet-out                               (when fleet/ is in the checkout)
#   (c) ./leakdx fleet-report WORK/fleet-out --quiet                                 (idem)
# and, with --split, (a) again on the /proc captures alone and on the crash transcripts alone.
# Checks the answers with dev.leakdx.bench.FleetCheck: (a) every leaking host's last capture carries its
# kind's verdict code; (c) WORK/fleet-out/fleet-report.md names every leaking cache and vmalloc caller,
# and the hosts it lists first as running out of memory are leaking ones. Exit 1 when a check fails.
# Prints the figures as Markdown table rows (also written to WORK/results.md).
#
# Options: --hosts H (default 1000), --days D (10), --crash N (300), --seed S (1), --leak-share F (0.05),
# --work DIR (default core/target/fleet-bench), --jobs N (leakdx -j for (a); default: every core), --split.
# LEAKDX_JAVA_OPTS / LEAKDX_FLEET_JAVA_OPTS change the JVM flags as they do for ./leakdx.
# Run it on a quiet machine: the figures are throughput, and other jobs on the same cores change them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

hosts=1000 days=10 crash=300 seed=1 share=0.05 work="" jobs="" split=0
while [ $# -gt 0 ]; do
  case "$1" in
    --hosts) hosts="$2"; shift ;;
    --days) days="$2"; shift ;;
    --crash) crash="$2"; shift ;;
    --seed) seed="$2"; shift ;;
    --leak-share) share="$2"; shift ;;
    --work) work="$2"; shift ;;
    --jobs) jobs="$2"; shift ;;
    --split) split=1 ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/fleet.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for v in "$hosts" "$days" "$crash" "$seed"; do [[ "$v" =~ ^[0-9]+$ ]] || { echo "bench/fleet.sh: --hosts, --days, --crash, --seed take whole numbers" >&2; exit 2; }; done
[ -z "$jobs" ] || [[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "bench/fleet.sh: --jobs N" >&2; exit 2; }
work="${work:-$here/core/target/fleet-bench}"
caps="$work/captures" truth="$work/captures.truth.tsv" results="$work/results.md"

echo "bench: building leakdx (./leakdx --version) and the benchmark tools (bench/classpath.sh)..." >&2
version="$(./leakdx --version)"
CP="$(bench/classpath.sh)"
JAVA=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=off -cp "$CP")
mkdir -p "$work"
: > "$results"; rm -f "$work"/*.check
say() { printf '%s\n' "$*" | tee -a "$results"; }
wrong=0

# wall seconds of "$@" with stdout to $1's file; GNU time adds the peak RSS (KiB) when it is there
gnutime=0; [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 && gnutime=1
timed() {  # timed OUTFILE ERRFILE CMD...: sets $secs and $rss; exit codes 0 and 1 are normal for diagnose
  local o="$1" e="$2"; shift 2
  local t0 t1 rc=0
  t0=$(date +%s.%N)
  if [ "$gnutime" = 1 ]; then /usr/bin/time -f %M -o "$work/rss" "$@" >"$o" 2>"$e" || rc=$?
  else "$@" >"$o" 2>"$e" || rc=$?; fi
  t1=$(date +%s.%N)
  secs=$(echo "$t1 - $t0" | bc -l)
  rss=""; [ "$gnutime" = 1 ] && rss="$(( $(tail -1 "$work/rss") / 1024 )) MiB"
  if [ "$rc" -gt 1 ]; then echo "bench: $* exited $rc (see $e)" >&2; tail -5 "$e" >&2; wrong=1; fi
  return 0
}
rate() { echo "scale=1; $1 / $2" | bc -l; }

# the fleet, again only when the options, the jar or the generator changed
stamp="$work/captures.options"
want="hosts=$hosts days=$days crash=$crash seed=$seed share=$share"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ "$here/core/target/leakdx.jar" -nt "$stamp" ] \
   || [ "$here/core/src/test/java/dev/leakdx/bench/FleetCaptureGenerator.java" -nt "$stamp" ]; then
  echo "bench: generating the fleet ($want) into $caps..." >&2
  rm -rf "$caps" "$truth" "$stamp"
  sync
  timed "$work/generate.out" "$work/generate.err" "${JAVA[@]}" dev.leakdx.bench.FleetCaptureGenerator --out "$caps" \
    --hosts "$hosts" --days "$days" --crash "$crash" --seed "$seed" --leak-share "$share"
  # the generator's own exit code 1 is a failure, not a verdict: it must have printed its summary line
  grep -q '^proc_captures=' "$work/generate.out" || { echo "bench: the generator failed:" >&2; tail -20 "$work/generate.err" >&2; exit 1; }
  sync   # the writes reach the disk before anything is timed
  gen_secs="$secs"
  echo "$want" > "$stamp"
  cp "$work/generate.out" "$work/generate.last"
  echo "$gen_secs" > "$work/generate.secs"
fi
gen_secs="$(cat "$work/generate.secs")"
n_proc=$(( hosts * days )); n_all=$(( n_proc + crash ))
bytes=$(du -sb "$caps" | cut -f1); disk=$(du -sk "$caps" | cut -f1)
files=$(find "$caps" -type f | wc -l)
leaking=$(( $(wc -l < "$truth") - 1 ))

say "### Fleet benchmark: $(date -u '+%Y-%m-%d %H:%M UTC') (\`bench/fleet.sh\`)"
say ""
say "machine: nproc $(nproc), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load average at start $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1); $version"
say ""
say "fleet: $want: $n_proc /proc captures + $crash crash transcripts, $files files, $(( bytes / 1048576 )) MiB ($(( disk / 1024 )) MiB on disk), $leaking leaking hosts ($(tail -n +2 "$truth" | cut -f4 | sort | uniq -c | awk '{printf "%s%s %s", s, $2, $1; s=", "}')); generated in $(printf %.1f "$gen_secs") s ($(rate "$n_all" "$gen_secs") captures/s, one thread)"
say ""
say "| measure | captures | wall s | captures/s | peak RSS | answers |"
say "|---|---:|---:|---:|---:|---|"

jflag=(); [ -n "$jobs" ] && jflag=(-j "$jobs")
# (a) the one-machine batch
sync
timed "$work/verdicts.jsonl" "$work/batch.err" ./leakdx diagnose --batch "$caps" --format json "${jflag[@]}"
check="$("${JAVA[@]}" dev.leakdx.bench.FleetCheck batch "$truth" "$work/verdicts.jsonl")" || wrong=1
printf '%s\n' "$check" > "$work/batch.check"
say "| \`leakdx diagnose --batch\` (${jobs:-$(nproc)} threads) | $n_all | $(printf %.1f "$secs") | $(rate "$n_all" "$secs") | $rss | $(tail -1 <<<"$check" | sed 's/^- //; s/|/\\|/g') |"

if [ "$split" = 1 ]; then
  # the same batch on each half of the fleet: what a /proc capture and a crash transcript cost apiece
  for part in host vmcore; do
    list=("$caps"/"$part"-*)
    [ -e "${list[0]}" ] || continue
    timed "$work/verdicts-$part.jsonl" "$work/batch-$part.err" ./leakdx diagnose "${list[@]}" --format json "${jflag[@]}"
    label=$([ "$part" = host ] && echo "/proc captures only" || echo "crash transcripts only")
    say "| \`leakdx diagnose\`, $label | ${#list[@]} | $(printf %.1f "$secs") | $(rate "${#list[@]}" "$secs") | $rss | |"
  done
fi

if [ -d "$here/fleet" ]; then
  echo "bench: building the fleet job (./leakdx fleet --help)..." >&2
  ./leakdx fleet --help >/dev/null 2>&1 || true   # the first run builds fleet/ and its Spark jars: not timed
  rm -rf "$work/fleet-out"
  sync
  timed "$work/fleet.out" "$work/fleet.err" ./leakdx fleet "$caps" -o "$work/fleet-out"
  say "| \`leakdx fleet\` (Spark local mode) | $n_all | $(printf %.1f "$secs") | $(rate "$n_all" "$secs") | $rss | |"
  timed "$work/fleet-report.out" "$work/fleet-report.err" ./leakdx fleet-report "$work/fleet-out" --quiet
  if [ -f "$work/fleet-out/fleet-report.md" ]; then
    check="$("${JAVA[@]}" dev.leakdx.bench.FleetCheck report "$truth" "$work/fleet-out/fleet-report.md")" || wrong=1
  else
    check="- FAILED: no $work/fleet-out/fleet-report.md"; wrong=1
  fi
  printf '%s\n' "$check" > "$work/report.check"
  say "| \`leakdx fleet-report --quiet\` ($(ls "$here"/fleet/sql/*.sql 2>/dev/null | wc -l) questions) | $n_all | $(printf %.1f "$secs") | $(rate "$n_all" "$secs") | $rss | $(tail -1 <<<"$check" | sed 's/^- //; s/|/\\|/g') |"
else
  say "| \`leakdx fleet\` | | | | | not in this checkout (no fleet/): to be measured once it is merged |"
fi
say ""
# the misses, if any, below the table
for f in "$work/batch.check" "$work/report.check"; do
  [ -f "$f" ] || continue
  { grep '^- MISS' "$f" || true; } | head -20 | while read -r l; do say "$l"; done
done
[ "$wrong" = 0 ] || { echo "bench: a check failed (see above and $work/*.check)" >&2; exit 1; }
