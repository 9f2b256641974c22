#!/usr/bin/env bash
# The hostile inputs of issue 13, generated (never committed: some are gigabytes) and run through
# ./leakdx with its default JVM flags and heap; prints one Markdown row per input: exit code, wall
# time, peak RSS (GNU time), and the first line leakdx wrote on stderr. knowledge-base-docs/reliability.md
# records a run. Usage: core/src/test/hostile/run.sh [WORKDIR]   (default target/hostile; needs ~3 GB free)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
work="${1:-$here/target/hostile}"
rm -rf "$work"; mkdir -p "$work"; cd "$work" || exit 2
"$here/leakdx" --version >/dev/null 2>&1 || { echo "run.sh: ./leakdx does not start" >&2; exit 2; }
meminfo() { printf 'MemTotal:        8000000 kB\nMemFree:         4000000 kB\nMemAvailable:    5000000 kB\nBuffers: 1000 kB\nCached: 100000 kB\n'; }

echo "generating in $work ..." >&2
# 1. a 4 MB .tar.gz that unpacks to 4 GB; a 1 MB .zip that unpacks to 1 GB
python3 - <<'PY'
import tarfile, zipfile, io, gzip
class Zeros(io.RawIOBase):
    def __init__(s, n): s.n = n
    def readable(s): return True
    def readinto(s, b):
        k = min(len(b), s.n); b[:k] = bytes(k); s.n -= k; return k
with gzip.open("bomb.tar.gz", "wb", compresslevel=9) as g, tarfile.open(fileobj=g, mode="w") as t:
    m = b"MemTotal:        8000000 kB\nMemFree:         4000000 kB\n"
    i = tarfile.TarInfo("bomb/proc/meminfo"); i.size = len(m); t.addfile(i, io.BytesIO(m))
    i = tarfile.TarInfo("bomb/zeros"); i.size = 4 << 30; t.addfile(i, io.BufferedReader(Zeros(4 << 30), 1 << 20))
with zipfile.ZipFile("bomb.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("bomb/proc/meminfo", "MemTotal:        8000000 kB\nMemFree:         4000000 kB\n")
    with z.open("bomb/zeros", "w", force_zip64=True) as w:
        chunk = bytes(1 << 20)
        for _ in range(1024): w.write(chunk)
PY
# 2. one line of 2 GB, one of 300 MB
head -c 2G /dev/zero | tr '\0' A > line-2g.txt
head -c 300M /dev/zero | tr '\0' A > line-300m.txt
# 3. a FIFO as the capture, and inside a batch folder
mkfifo fifo; mkdir -p fleet/ok/proc; meminfo > fleet/ok/proc/meminfo; mkfifo fleet/pipe
# 4. a backtracking glob in case.yaml against a 200-character name
mkdir -p glob; meminfo > "glob/$(printf 'a%.0s' $(seq 200))"; printf 'files:\n  - glob: "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*ab"\n    host: x\n' > glob/case.yaml
# 5. a rule that never ends
mkdir -p spin-rules; printf 'package spin;\nrule "spin"\nwhen\nthen\n  long i = 0;\n  while (System.nanoTime() > 0) { i++; }\nend\n' > spin-rules/spin.drl
mkdir -p small/proc; meminfo > small/proc/meminfo
# 6. impossible values, page sizes, a NUL, a BOM, links out of the capture, cut archives
mkdir -p values/proc; printf 'MemTotal:        0 kB\nMemFree:         9007199254740992 kB\n' > values/proc/meminfo; printf 'host: {page_size: 3}\n' > values/case.yaml
mkdir -p nul/proc; { printf 'MemTotal:        8000000 kB\nMemFree: \0 4000000 kB\n'; } > nul/proc/meminfo
mkdir -p bom/proc; { printf '\xef\xbb\xbf'; meminfo; } > bom/proc/meminfo
mkdir -p links; meminfo > links/meminfo.real; ln -s /proc/meminfo links/meminfo; ln -s /etc/shadow links/shadow
# (lab-pfrag: 1 MB of already-compressed members, so the cut falls past whole xz chunks)
for f in tar.gz tar.xz zip; do
  case $f in tar.gz) tar czf "whole.$f" -C "$here/core/src/test/resources/cases" lab-pfrag ;; tar.xz) tar cJf "whole.$f" -C "$here/core/src/test/resources/cases" lab-pfrag ;;
    zip) (cd "$here/core/src/test/resources/cases" && python3 -c "import zipfile,os,sys
z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)
[z.write(os.path.join(d,n)) for d,_,ns in sorted(os.walk('lab-pfrag')) for n in sorted(ns)]" "$work/whole.zip") ;; esac
  head -c $(( $(stat -c %s "whole.$f") * 2 / 3 )) "whole.$f" > "cut.$f"
done

row() { # NAME ARGS...
  local name="$1"; shift
  local t0 t1 rc rss err
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M' -o rss.txt timeout 300 "$here/leakdx" "$@" > out.txt 2> err.txt < /dev/null; rc=$?
  t1=$(date +%s.%N)
  rss=$(tail -1 rss.txt)
  err=$(grep -v '^leakdx: running the rules' err.txt | head -1 | cut -c1-150 | sed "s#$work/##g; s/|/\\\\|/g")
  [ -z "$err" ] && err="$(grep -m1 -E 'limit leakdx|ends early|not followed|impossible|host page_size|not a regular' out.txt | sed 's/^ *//' | cut -c1-150 | sed "s#$work/##g; s/|/\\\\|/g")"
  [ -z "$err" ] && err="$(grep -m1 -E 'error|warning' out.txt | sed 's/^ *//' | cut -c1-150 | sed "s#$work/##g; s/|/\\\\|/g")"
  [ -z "$err" ] && err="(report: $(grep -m1 -E '^ *1\. \[|No leak|Verdicts' out.txt | sed 's/^ *//' | cut -c1-80))"
  printf '| %s | %s | %.1f s | %d MiB | %s |\n' "$name" "$rc" "$(echo "$t1 - $t0" | bc)" "$((rss / 1024))" "$err"
}
echo "| hostile input | exit | wall | peak RSS | what leakdx said (first line of stderr, else of the report's problems) |"
echo "|---|---:|---:|---:|---|"
row "4 MB .tar.gz unpacking to 4 GB" diagnose bomb.tar.gz --format text
row "1 MB .zip unpacking to 1 GB" diagnose bomb.zip --format text
row "a 2 GB line" diagnose line-2g.txt
row "a 300 MB line" diagnose line-300m.txt
row "a FIFO as the capture" diagnose fifo
row "a FIFO in a --batch folder" diagnose --batch fleet -o batch.txt
row "glob *a*a...ab vs a 200-char name" diagnose glob
row "while(true) in a --rules DRL" diagnose small --rules spin-rules
row "--rules on an empty folder" diagnose small --rules fleet/ok
row "MemTotal 0, MemFree 2^53 kB, page_size 3" diagnose values
row "one NUL byte in meminfo" diagnose nul
row "UTF-8 BOM on meminfo" diagnose bom
row "links to /proc/meminfo, /etc/shadow" diagnose links
row "-o onto the capture's own file" diagnose small -o small/proc/meminfo
for f in tar.gz tar.xz zip; do row "a .$f cut at 2/3" diagnose "cut.$f"; done
# SIGTERM while a bomb is being unpacked: the shutdown hook removes the run's temporary folder (the launcher execs java: same pid)
"$here/leakdx" diagnose bomb.tar.gz >/dev/null 2>&1 & p=$!
sleep 5; seen=$(ls -d "${TMPDIR:-/tmp}"/leakdx-$p-* 2>/dev/null | wc -l); kill -TERM $p; wait $p; rc=$?
echo "| SIGTERM 5 s into unpacking bomb.tar.gz | $rc | - | - | temp folders of the run: $seen while running, $(ls -d "${TMPDIR:-/tmp}"/leakdx-$p-* 2>/dev/null | wc -l) after |"
echo "temp folders left: $(ls -d "${TMPDIR:-/tmp}"/leakdx-* 2>/dev/null | grep -c "leakdx-[0-9]*-" )" >&2
