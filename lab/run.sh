#!/bin/bash
# lab/run.sh SCENARIO [--size PCT_OF_RAM] [--ram 2G|4G] [--kernel 6.1|6.12] [-o OUTDIR]
#            [--smp N] [--no-vmcore] [--keep-vmcore]
# Boots the Debian kernel under QEMU (TCG), runs one scenario in the guest, takes a vmcore, runs
# crash 8.0.6 on it, and writes OUTDIR, a case folder leakdx reads as it is:
#   OUTDIR/proc/           /proc etc. after the injection (+ meminfo before/after drop_caches)
#   OUTDIR/proc-before/    the same before the injection (baseline)
#   OUTDIR/crash/          session.txt, and kmem-p/kmem-m .txt.xz for page-level scenarios
#   OUTDIR.truth.yaml      beside the folder: what was injected (leakdx never reads it)
# The raw run (console, vmcore) stays in $LABCACHE/runs/<name>.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/kernels.sh"
usage() { sed -n '2,3p' "$0"; echo "scenarios: $(cd "$HERE/guest/scenarios" && ls | sed 's/\.sh$//' | tr '\n' ' ')"; exit 2; }
[ $# -ge 1 ] || usage
SCEN=$1; shift
PCT=5; RAM=2G; KERNEL=6.1; OUT=""; SMP=2; VMCORE=1; KEEP=0
while [ $# -gt 0 ]; do
	case $1 in
		--size) PCT=$2; shift 2 ;; --ram) RAM=$2; shift 2 ;; --kernel) KERNEL=$2; shift 2 ;;
		-o) OUT=$2; shift 2 ;; --smp) SMP=$2; shift 2 ;; --no-vmcore) VMCORE=0; shift ;;
		--keep-vmcore) KEEP=1; shift ;; *) usage ;;
	esac
done
[ -f "$HERE/guest/scenarios/$SCEN.sh" ] || usage
kver_of "$KERNEL" >/dev/null || usage
[ -f "$(initrd_of $KERNEL)" ] || { echo "not built for $KERNEL: run lab/install.sh $KERNEL"; exit 1; }
NAME=$SCEN-$KERNEL-$RAM-$PCT
OUT=${OUT:-$LABCACHE/cases/lab-$NAME}
RAW=$LABCACHE/runs/$NAME
rm -rf "$RAW" && mkdir -p "$RAW"
T0=$(date +%s)
if [ "$SCEN" = pagecache ]; then  # the file the guest reads through 9p with cache=loose
	mkdir -p "$RAW/data"  # a second 9p share: a virtio-9p channel serves one mount only
	head -c $(awk -v r=${RAM%G} -v p=$PCT 'BEGIN{printf "%.0f", r*1073741824*p/100}') /dev/urandom > "$RAW/data/datafile"
fi
echo "[lab] $NAME: booting $(kver_of $KERNEL), $RAM, -smp $SMP"
python3 "$HERE/lib/guest.py" "$(vmlinuz_of $KERNEL)" "$(initrd_of $KERNEL)" "$RAW" "$SCEN" "$PCT" "$RAM" "$SMP" \
	"$VMCORE" 3600 || { echo "[lab] guest failed: see $RAW/console.log"; exit 1; }
rm -rf "$RAW/data"
T1=$(date +%s)
rm -rf "$OUT" && mkdir -p "$OUT"
cp -r "$RAW/proc" "$RAW/proc-before" "$OUT/"
if [ "$VMCORE" = 1 ]; then
	makedumpfile -R "$RAW/vmcore-post.kdump" < "$RAW/vmcore-post.flat" >/dev/null && rm -f "$RAW/vmcore-post.flat"
	CR=$LABCACHE/trixie/crash806
	[ -x "$CR" ] || { printf '#!/bin/sh\n. %s\ncrash806 "$@"\n' "$HERE/lib/kernels.sh" > "$CR"; chmod +x "$CR"; }
	python3 "$HERE/lib/crash.py" "$CR" "$(vmlinux_of $KERNEL)" "$RAW/vmcore-post.kdump" "$RAW/truth.txt" "$SCEN" "$OUT"
	[ "$KEEP" = 1 ] || rm -f "$RAW/vmcore-post.kdump"
fi
T2=$(date +%s)
python3 "$HERE/lib/truth.py" "$RAW/truth.txt" "$OUT.truth.yaml" ram="$RAM" kernel="$KERNEL" smp="$SMP" \
	crash="$([ "$VMCORE" = 1 ] && echo 'crash 8.0.6 (Debian trixie)' || echo none)" \
	guest_seconds=$((T1 - T0)) crash_seconds=$((T2 - T1))
echo "[lab] $NAME: guest $((T1 - T0)) s, crash $((T2 - T1)) s -> $OUT ($(du -sh "$OUT" | cut -f1))"
