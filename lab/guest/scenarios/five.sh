# five problems at once, each BYTES (= PCT of RAM): an idle hugetlb pool, a THP refcount leak, undrained
# page_frag caches, a kmalloc-256 leak and a vmalloc leak (the single-problem scenarios' injectors, together)
# modtruth5 TAG MODULE: a module's parameters as truth lines TAG.PARAM (five modules share one truth file)
modtruth5() { for f in /sys/module/$2/parameters/*; do truth "$1.${f##*/}" "$(cat $f)"; done; truth "$1.module" "$2"; }
prepare() { insmod /lab/kvmx_dev.ko; }
inject() {
	n=$(( BYTES / 2097152 )); echo $n > /proc/sys/vm/nr_hugepages; got=$(cat /proc/sys/vm/nr_hugepages)
	truth hugetlb.hugepages "$got"; truth hugetlb.injected_bytes $(( got * 2097152 ))
	MB=$(( BYTES / 1048576 / 2 * 2 ))
	vm_manager $MB 1 > /tmp/a.txt & A=$!; wait_ready /tmp/a.txt; kill $A; wait $A 2>/dev/null; sleep 2
	modtruth5 thp kvmx_dev; truth thp.injected_bytes "$(cat /sys/module/kvmx_dev/parameters/held)"
	insmod /lab/hfi_ctxmgr.ko bytes=$BYTES fragsz=2048; modtruth5 pfrag hfi_ctxmgr
	truth pfrag.injected_bytes "$(cat /sys/module/hfi_ctxmgr/parameters/held)"
	insmod /lab/mxc_stage.ko bytes=$BYTES objsz=256; modtruth5 slab mxc_stage; truth slab.cache kmalloc-256
	truth slab.injected_bytes "$(cat /sys/module/mxc_stage/parameters/held)"
	insmod /lab/ipx_fwbuf.ko bytes=$BYTES chunk=65536; modtruth5 vmalloc ipx_fwbuf
	truth vmalloc.injected_bytes "$(cat /sys/module/ipx_fwbuf/parameters/held)"
	truth family "HUGETLB_RESERVED_IDLE THP_REFCOUNT_LEAK PAGE_FRAG_CACHE_LEAK SLAB_LEAK VMALLOC_LEAK"
	truth injected_bytes "$(awk -F= '/^[a-z]+\.injected_bytes=/{s+=$2} END{printf "%d", s}' /out/truth.txt)"
}
