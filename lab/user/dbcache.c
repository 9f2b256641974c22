/* dbcache N: map N default-size huge pages (MAP_HUGETLB), touch each, print READY, sleep. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], 0, 0) : 16, hp = 2UL << 20;
	char *p = mmap(NULL, n * hp, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (p == MAP_FAILED) { perror("mmap"); return 1; }
	for (unsigned long i = 0; i < n; i++) p[i * hp] = 1;
	printf("READY %d huge=%lu\n", getpid(), n); fflush(stdout);
	for (;;) pause();
}
