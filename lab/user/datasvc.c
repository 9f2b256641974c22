/* datasvc [chunk_MB] [limit_MB]: allocate and touch chunks until limit (0: forever, until killed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	unsigned long chunk = (argc > 1 ? strtoul(argv[1], 0, 0) : 8) << 20;
	unsigned long limit = (argc > 2 ? strtoul(argv[2], 0, 0) : 0) << 20, total = 0;
	while (!limit || total < limit) {
		char *p = malloc(chunk);
		if (!p) break;
		memset(p, 0x5a, chunk);
		total += chunk;
	}
	printf("READY %d %lu MB\n", getpid(), total >> 20); fflush(stdout);
	for (;;) pause();
}
