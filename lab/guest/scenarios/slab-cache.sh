# kmem_cache leak: the module's own cache hwq_desc (320-byte objects), never freed
inject() { insmod /lab/snd_hwq.ko bytes=$BYTES objsz=320; modtruth snd_hwq
	truth family SLAB_LEAK; truth cache hwq_desc; truth injected_bytes "$(cat /sys/module/snd_hwq/parameters/held)"; }
