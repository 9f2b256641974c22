// SPDX-License-Identifier: GPL-2.0
/* kmalloc leak: kmalloc(objsz) objects until `bytes` is reached, chained through their first word
 * so no array is needed, never freed (no module_exit). They land in the kmalloc-<objsz> cache. */
#include <linux/slab.h>
#include "lab_common.h"
static unsigned int objsz = 256;
module_param(objsz, uint, 0444);
static void **chain;
static int __init m_init(void)
{
	while (held < bytes) {
		void **o = kmalloc(objsz, GFP_KERNEL | __GFP_NOWARN);
		if (!o)
			break;
		*o = chain;
		chain = o;
		nr++;
		held += ksize(o);
	}
	a0 = ~(unsigned long)chain;
	return 0;
}
module_init(m_init);
