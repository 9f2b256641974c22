# THP refcount leak: a process maps THPs, a module keeps a reference on each, the process exits;
# a second process keeps 64 MiB of THP mapped (not a leak)
prepare() { insmod /lab/kvmx_dev.ko; }
inject() {
	MB=$(( BYTES / 1048576 / 2 * 2 ))
	vm_manager $MB 1 > /tmp/a.txt & A=$!
	vm_manager 64 0 > /tmp/b.txt & B=$!
	wait_ready /tmp/a.txt; wait_ready /tmp/b.txt
	kill $A; wait $A 2>/dev/null; sleep 2
	modtruth kvmx_dev; truth family THP_REFCOUNT_LEAK; truth live_thp_bytes $((64<<20))
	truth injected_bytes "$(cat /sys/module/kvmx_dev/parameters/held)"
}
after() { kill $B; }
