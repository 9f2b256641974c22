# idle hugetlb pool: 2 MiB huge pages reserved, nobody maps them
inject() { n=$(( BYTES / 2097152 )); echo $n > /proc/sys/vm/nr_hugepages
	got=$(cat /proc/sys/vm/nr_hugepages); truth hugepages "$got"; truth family HUGETLB_RESERVED_IDLE
	truth injected_bytes $(( got * 2097152 )); }
