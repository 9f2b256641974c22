/* indexer N: reserve N x 2 MiB of private anonymous address space and read one byte in each
 * 2 MiB: every read maps the shared zero page but needs a page-table page of its own, so the
 * process holds ~N page-table pages and almost no data. Prints READY, sleeps. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], 0, 0) : 1024, step = 2UL << 20;
	if (n == 0) { printf("READY %d touched=0 sum=0\n", getpid()); fflush(stdout); for (;;) pause(); }  /* the 0% control: mmap(0) fails */
	volatile char *p = mmap(NULL, n * step, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) { perror("mmap"); return 1; }
	madvise((void *)p, n * step, MADV_NOHUGEPAGE);
	unsigned long s = 0;
	for (unsigned long i = 0; i < n; i++) s += p[i * step];
	printf("READY %d touched=%lu sum=%lu\n", getpid(), n, s); fflush(stdout);
	for (;;) pause();
}
