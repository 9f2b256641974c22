// SPDX-License-Identifier: GPL-2.0
/* kmem_cache leak: the module's own cache "hwq_desc" (objsz bytes), objects allocated until
 * `bytes` of slab is held, chained through their first word, never freed. SLAB_ACCOUNT is not
 * set and the cache is not reclaimable: it shows as SUnreclaim. */
#include <linux/slab.h>
#include "lab_common.h"
static unsigned int objsz = 320;
module_param(objsz, uint, 0444);
static struct kmem_cache *cache;
static void **chain;
static int __init m_init(void)
{
	cache = kmem_cache_create("hwq_desc", objsz, 0, 0, NULL);
	if (!cache)
		return -ENOMEM;
	while (held < bytes) {
		void **o = kmem_cache_alloc(cache, GFP_KERNEL | __GFP_NOWARN);
		if (!o)
			break;
		*o = chain;
		chain = o;
		nr++;
		held += objsz;
	}
	a0 = ~(unsigned long)chain;
	return 0;
}
module_init(m_init);
