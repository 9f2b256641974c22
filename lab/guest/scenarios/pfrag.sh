# page_frag leak: bytes/32KiB page_frag_caches, one 2 KiB fragment taken and freed from each, never drained
inject() { insmod /lab/hfi_ctxmgr.ko bytes=$BYTES fragsz=2048; modtruth hfi_ctxmgr
	truth family PAGE_FRAG_CACHE_LEAK; truth injected_bytes "$(cat /sys/module/hfi_ctxmgr/parameters/held)"; }
