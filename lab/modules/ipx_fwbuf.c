// SPDX-License-Identifier: GPL-2.0
/* vmalloc leak: many separate vmalloc areas of `chunk` bytes each, touched, never vfree'd.
 * /proc/vmallocinfo shows one line per area, all with this module's caller. */
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/string.h>
#include "lab_common.h"
static unsigned long chunk = 65536;
module_param(chunk, ulong, 0444);
static void **areas;
static noinline void *fw_stage_alloc(unsigned long sz)
{
	void *p = vmalloc(sz);
	if (p)
		memset(p, 0, sz);
	return p;
}
static int __init m_init(void)
{
	unsigned long want = bytes / chunk, i;
	if (!want)
		return 0;
	areas = kvcalloc(want, sizeof(*areas), GFP_KERNEL);
	if (!areas)
		return -ENOMEM;
	for (i = 0; i < want; i++) {
		areas[i] = fw_stage_alloc(chunk);
		if (!areas[i])
			break;
		nr++;
		held += PAGE_ALIGN(chunk);
	}
	a0 = nr ? ~(unsigned long)areas[0] : 0;
	return 0;
}
module_init(m_init);
