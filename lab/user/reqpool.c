/* reqpool N: start N threads that block forever, print READY. Each costs a kernel stack. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static void *idle(void *a) { for (;;) pause(); return a; }
int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100, ok = 0;
	pthread_attr_t at; pthread_attr_init(&at); pthread_attr_setstacksize(&at, 65536);
	for (long i = 0; i < n; i++) { pthread_t t; if (pthread_create(&t, &at, idle, 0)) break; ok++; }
	printf("READY %d threads=%ld\n", getpid(), ok); fflush(stdout);
	for (;;) pause();
}
