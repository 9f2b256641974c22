# healthy: a program keeps its tmpfs file mapped shared and uses it
prepare() { mkdir -p /run/shm && mount -t tmpfs -o size=90% shm /run/shm; }
inject() { MB=$(( BYTES / 1048576 )); spoold /run/shm/arena $MB 1 > /tmp/f.txt & F=$!; wait_ready /tmp/f.txt
	truth family SHMEM_MAPPED_BY_PROCESS; truth healthy 1; truth injected_bytes $(( MB * 1048576 )); }
after() { kill $F; }
