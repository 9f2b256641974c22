# page_pool whose pages never come back (order 0, pool never destroyed)
inject() { insmod /lab/ppx_dev.ko bytes=$BYTES; modtruth ppx_dev
	truth family PAGE_POOL_LEAK; truth injected_bytes "$(cat /sys/module/ppx_dev/parameters/held)"; }
