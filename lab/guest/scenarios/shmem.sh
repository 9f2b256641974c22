# tmpfs growth: files written into a tmpfs that no process keeps open or mapped
prepare() { mkdir -p /run/spool && mount -t tmpfs -o size=90% spool /run/spool; }
inject() { MB=$(( BYTES / 1048576 )); n=0
	while [ $n -lt $MB ]; do c=$(( MB - n )); [ $c -gt 64 ] && c=64; spoold /run/spool/seg.$n $c >/dev/null; n=$((n+c)); done
	truth family SHMEM_TMPFS_GROWTH; truth injected_bytes $(( MB * 1048576 )); }
