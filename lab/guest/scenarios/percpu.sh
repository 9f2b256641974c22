# percpu leak: 1 KiB per-CPU objects, never freed
inject() { insmod /lab/evt_acct.ko bytes=$BYTES objsz=1024; modtruth evt_acct
	truth family PERCPU_LEAK; truth injected_bytes "$(cat /sys/module/evt_acct/parameters/held)"; }
