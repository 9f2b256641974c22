# thread leak: one program whose threads block forever (a kernel stack each)
inject() { n=$(( BYTES / 16384 )); reqpool $n > /tmp/w.txt & W=$!; wait_ready /tmp/w.txt
	got=$(sed -n 's/.*threads=\([0-9]*\).*/\1/p' /tmp/w.txt); truth threads "$got"; truth family KERNEL_STACK_OR_PAGETABLES
	truth injected_bytes $(( got * 16384 )); truth note "kernel stacks only (THREAD_SIZE 16 KiB on x86_64)"; }
after() { kill $W; }
