// SPDX-License-Identifier: GPL-2.0
/* page_pool that never gets its pages back: one page_pool (order 0, no DMA mapping), pages taken
 * with page_pool_alloc_pages() until `bytes` is held, kept on a list and never recycled, the
 * pool never destroyed. Each page carries the pool's pp_magic signature and pp pointer. */
#include <linux/mm.h>
#include <linux/version.h>
#include <linux/list.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif
#include "lab_common.h"
static struct page_pool *pool;
static struct page **kept;
static int __init m_init(void)
{
	struct page_pool_params pp = {
		.order = 0, .pool_size = 256, .nid = NUMA_NO_NODE, .dma_dir = DMA_FROM_DEVICE,
	};
	unsigned long want = bytes >> PAGE_SHIFT;
	pool = page_pool_create(&pp);
	if (IS_ERR(pool))
		return PTR_ERR(pool);
	if (!want)
		return 0;
	kept = kvcalloc(want, sizeof(*kept), GFP_KERNEL);
	if (!kept)
		return -ENOMEM;
	while (nr < want) {
		struct page *p = page_pool_alloc_pages(pool, GFP_KERNEL | __GFP_NOWARN);
		if (!p)
			break;
		kept[nr++] = p;
		held += PAGE_SIZE;
		a0 = ~(unsigned long)p;
	}
	a1 = ~(unsigned long)pool;
	return 0;
}
module_init(m_init);
