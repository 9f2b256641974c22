/* vm_manager MB [hand:0|1]: map MB of anonymous memory 2 MiB aligned with MADV_HUGEPAGE, touch
 * every page; with hand=1 give the range to /proc/kvmx (which keeps a reference per 2 MiB).
 * Prints READY and sleeps until killed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/mman.h>
#define HP (2UL << 20)
int main(int argc, char **argv)
{
	unsigned long len = (argc > 1 ? strtoul(argv[1], 0, 0) : 64) << 20;
	int hand = argc > 2 && atoi(argv[2]);
	char *raw = mmap(NULL, len + HP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED) { perror("mmap"); return 1; }
	char *p = (char *)(((unsigned long)raw + HP - 1) & ~(HP - 1));
	madvise(p, len, MADV_HUGEPAGE);
	for (unsigned long o = 0; o < len; o += 4096) p[o] = 1;
	if (hand) {
		char b[64]; int fd = open("/proc/kvmx", O_WRONLY);
		if (fd < 0) { perror("open"); return 1; }
		snprintf(b, sizeof b, "%lx %lx", (unsigned long)p, len);
		if (write(fd, b, strlen(b)) < 0) perror("write");
		close(fd);
	}
	printf("READY %d %p %lu\n", getpid(), p, len); fflush(stdout);
	for (;;) pause();
}
