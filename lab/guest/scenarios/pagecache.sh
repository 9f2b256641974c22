# healthy: page cache filled by reading a file (9p share mounted with cache=loose)
prepare() { mkdir -p /mnt/data && mount -t 9p -o trans=virtio,version=9p2000.L,cache=loose,msize=262144 data /mnt/data; }
inject() { cat /mnt/data/datafile > /dev/null; truth family RECLAIMABLE_CACHE; truth healthy 1
	truth injected_bytes "$(stat -c %s /mnt/data/datafile)"; }
