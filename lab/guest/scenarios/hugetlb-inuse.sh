# healthy: a hugetlb pool that a running program maps and uses entirely
inject() { n=$(( BYTES / 2097152 )); echo $n > /proc/sys/vm/nr_hugepages; got=$(cat /proc/sys/vm/nr_hugepages)
	dbcache $got > /tmp/h.txt & H=$!; wait_ready /tmp/h.txt
	truth hugepages "$got"; truth family HUGETLB_IN_USE; truth healthy 1; truth injected_bytes $(( got * 2097152 )); }
after() { kill $H; }
