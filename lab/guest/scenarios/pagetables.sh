# page-table bloat: a sparse mapping read once every 2 MiB (one page-table page per read)
inject() { n=$(( BYTES / 4096 )); indexer $n > /tmp/s.txt & S=$!; wait_ready /tmp/s.txt
	truth pte_pages "$n"; truth family KERNEL_STACK_OR_PAGETABLES; truth injected_bytes $(( n * 4096 )); }
after() { kill $S; }
