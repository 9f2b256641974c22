/* cfgscan DIR N: stat() N names that do not exist under DIR. On kernfs (sysfs) each failed lookup
 * leaves a negative dentry: a large, reclaimable dentry cache. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
int main(int argc, char **argv)
{
	unsigned long n = strtoul(argv[2], 0, 0), miss = 0; char b[4096]; struct stat st;
	for (unsigned long i = 0; i < n; i++) { snprintf(b, sizeof b, "%s/cfg%08lx", argv[1], i); if (stat(b, &st)) miss++; }
	printf("READY looked=%lu missing=%lu\n", n, miss); return 0;
}
