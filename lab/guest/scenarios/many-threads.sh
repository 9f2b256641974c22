# healthy: a server with many threads that stays at a steady count (same mechanism as a thread
# leak; only a trend tells them apart)
inject() { n=$(( BYTES / 16384 )); reqpool $n > /tmp/w.txt & W=$!; wait_ready /tmp/w.txt
	got=$(sed -n 's/.*threads=\([0-9]*\).*/\1/p' /tmp/w.txt); truth threads "$got"; truth healthy 1; truth family KERNEL_STACK_OR_PAGETABLES
	truth injected_bytes $(( got * 16384 )); }
after() { kill $W; }
