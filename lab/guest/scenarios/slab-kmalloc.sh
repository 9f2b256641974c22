# kmalloc leak: kmalloc-256 objects, never freed (module mxc_stage, objsz=256)
inject() { insmod /lab/mxc_stage.ko bytes=$BYTES objsz=${OBJSZ:-256}; modtruth mxc_stage
	truth family SLAB_LEAK; truth cache kmalloc-${OBJSZ:-256}; truth injected_bytes "$(cat /sys/module/mxc_stage/parameters/held)"; }
