# healthy: a big reclaimable dentry cache (negative dentries left by lookups in sysfs)
inject() { n=$(( BYTES / 192 )); cfgscan /sys/kernel $n; truth lookups "$n"; truth family RECLAIMABLE_CACHE; truth healthy 1
	truth injected_bytes $(( n * 192 )); truth note "dentry objects are 192 bytes; negative dentries on kernfs"; }
