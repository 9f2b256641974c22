# vmalloc leak: one module, many 64 KiB vmalloc areas, never freed
inject() { insmod /lab/ipx_fwbuf.ko bytes=$BYTES chunk=65536; modtruth ipx_fwbuf
	truth family VMALLOC_LEAK; truth injected_bytes "$(cat /sys/module/ipx_fwbuf/parameters/held)"; }
