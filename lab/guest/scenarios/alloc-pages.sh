# raw alloc_pages leak: order-0 pages on a private list, in no meminfo counter
inject() { insmod /lab/gsx_mem.ko bytes=$BYTES order=0; modtruth gsx_mem
	truth family UNACCOUNTED_KERNEL_MEMORY; truth injected_bytes "$(cat /sys/module/gsx_mem/parameters/held)"; }
