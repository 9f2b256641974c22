# Helpers for the guest's scenarios (sourced by /init).
log() { echo "[guest $(cut -d' ' -f1 /proc/uptime)] $*"; }
# truth KEY VALUE: one line of ground truth; the host turns /out/truth.txt into truth.yaml
truth() { echo "$1=$2" >> /out/truth.txt; }
# modtruth MODULE: every parameter of a scenario module, as truth lines MODULE.PARAM=VALUE
modtruth() { for f in /sys/module/$1/parameters/*; do truth "module.${f##*/}" "$(cat $f)"; done; truth module "$1"; }
# settle: let deferred work (vmstat, RCU frees, kswapd) run so a snapshot is steady
settle() { sync; sleep ${1:-3}; }
# wait_ready FILE: wait for a helper program's READY line
wait_ready() { local n=0; while ! grep -q READY "$1" 2>/dev/null; do sleep 1; n=$((n+1)); [ $n -gt 900 ] && return 1; done; cat "$1"; }

# capture DIR: /proc and friends into /out/DIR (a proc/ folder leakdx reads as it is)
capture() {
	local d=/out/$1 t0=$(cut -d' ' -f1 /proc/uptime) f p pid
	mkdir -p $d/smaps
	for f in meminfo vmstat slabinfo buddyinfo zoneinfo pagetypeinfo vmallocinfo uptime; do
		cat /proc/$f > $d/$f 2>/dev/null
	done
	dmesg -s 4194304 > $d/dmesg.txt
	for f in /sys/kernel/mm/transparent_hugepage/enabled /sys/kernel/mm/transparent_hugepage/defrag \
		 /proc/sys/vm/nr_hugepages /proc/sys/vm/min_free_kbytes /proc/sys/vm/overcommit_memory; do
		echo "$f: $(cat $f)"; done > $d/vm_settings.txt
	for h in /sys/kernel/mm/hugepages/*; do
		echo "$h: nr=$(cat $h/nr_hugepages) free=$(cat $h/free_hugepages) resv=$(cat $h/resv_hugepages) surplus=$(cat $h/surplus_hugepages)"
	done >> $d/vm_settings.txt
	cat /proc/modules > $d/modules.txt
	ps -o pid,ppid,vsz,rss,comm > $d/ps.txt 2>/dev/null || ps > $d/ps.txt
	page-types > $d/page-types.txt 2>&1
	page-types -r > $d/page-types-raw.txt 2>&1
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		[ -n "$(head -c 1 $p/smaps 2>/dev/null)" ] || continue   # kernel threads have no mm
		c=$(cat $p/comm)
		cat $p/smaps > $d/smaps/$pid.$c.smaps 2>/dev/null
		cat $p/smaps_rollup > $d/smaps/$pid.$c.smaps_rollup 2>/dev/null
		cat $p/status > $d/smaps/$pid.$c.status 2>/dev/null
	done
	sync
	log "capture $1 in $(awk -v a=$t0 -v b=$(cut -d' ' -f1 /proc/uptime) 'BEGIN{print b-a}') s"
}
# drop_pair DIR: /proc/meminfo before and after echo 3 > drop_caches (taken after the vmcore)
drop_pair() {
	local d=/out/$1
	cat /proc/meminfo > $d/meminfo.before_drop_caches
	sync; echo 3 > /proc/sys/vm/drop_caches; sleep 1
	cat /proc/meminfo > $d/meminfo.after_drop_caches
}
# request_dump TAG: the host answers with QMP dump-guest-memory while the guest waits
request_dump() {
	local n=0
	sync
	echo "@@DUMP_REQUEST@@ $1"
	while [ ! -e /out/.dumped_$1 ]; do
		sleep 1; n=$((n+1)); [ $n -gt 1800 ] && { log "dump $1: no answer"; return 1; }
	done
	rm -f /out/.dumped_$1
	log "dump $1 taken after ${n}s"
}
