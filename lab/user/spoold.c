/* spoold PATH MB [map:0|1]: write MB of data into PATH. map=0: close and exit (the file stays);
 * map=1: keep it mapped shared and touched, print READY, sleep (a program using its tmpfs file). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/mman.h>
int main(int argc, char **argv)
{
	if (argc < 3) return 2;
	unsigned long len = strtoul(argv[2], 0, 0) << 20;
	int map = argc > 3 && atoi(argv[3]);
	int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) { perror("open"); return 1; }
	if (!map) {
		static char buf[1 << 20]; memset(buf, 0x33, sizeof buf);
		for (unsigned long o = 0; o < len; o += sizeof buf) if (write(fd, buf, sizeof buf) < 0) { perror("write"); break; }
		close(fd); printf("READY %d wrote\n", getpid()); return 0;
	}
	if (ftruncate(fd, len)) { perror("ftruncate"); return 1; }
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) { perror("mmap"); return 1; }
	for (unsigned long o = 0; o < len; o += 4096) p[o] = 1;
	printf("READY %d mapped\n", getpid()); fflush(stdout);
	for (;;) pause();
}
