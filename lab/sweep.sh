#!/bin/bash
# lab/sweep.sh SCENARIO [--kernel 6.1|6.12] [--ram 2G|4G] [--sizes "0 0.5 1 2 5 10 25"]
# Runs one scenario at each size (% of RAM; 0 is the control), a case folder per size under
# $LABCACHE/sweeps/SCENARIO-KERNEL-RAM/, then diagnoses each with leakdx (with and without the
# proc-before baseline) into lab/results/SCENARIO-KERNEL-RAM.tsv.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/kernels.sh"
SCEN=${1:?usage: sweep.sh SCENARIO [--kernel K] [--ram R] [--sizes LIST]}; shift
KERNEL=6.1; RAM=2G; SIZES="0 0.5 1 2 5 10 25"; EXTRA=""
while [ $# -gt 0 ]; do
	case $1 in --kernel) KERNEL=$2; shift 2 ;; --ram) RAM=$2; shift 2 ;; --sizes) SIZES=$2; shift 2 ;;
		--no-vmcore) EXTRA="--no-vmcore"; shift ;; *) echo "unknown $1"; exit 2 ;; esac
done
D=$LABCACHE/sweeps/$SCEN-$KERNEL-$RAM; mkdir -p "$D" "$HERE/results"
dirs=()
for s in $SIZES; do
	T0=$(date +%s)
	"$HERE/run.sh" "$SCEN" --size "$s" --kernel "$KERNEL" --ram "$RAM" -o "$D/$s" $EXTRA && dirs+=("$D/$s")
	echo "[sweep] $SCEN $s%: $(( $(date +%s) - T0 )) s"
done
python3 "$HERE/lib/tabulate.py" "$HERE/../leakdx" "${dirs[@]}" | tee "$HERE/results/$SCEN-$KERNEL-$RAM.tsv"
