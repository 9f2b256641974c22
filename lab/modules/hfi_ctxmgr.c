// SPDX-License-Identifier: GPL-2.0
/* page_frag leak: `bytes / 32 KiB` separately kmalloc'ed contexts, each embedding a
 * struct page_frag_cache; one fragment of fragsz is carved from each and freed again, and the
 * cache is never drained. Each cache keeps its (order-3 when available) page with
 * refcount == pagecnt_bias, reachable only through cache.va (a virtual address, not a struct
 * page pointer). a0 = the last context, a1 = its cache's va. */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include "lab_common.h"
static unsigned int fragsz = 2048;
module_param(fragsz, uint, 0444);
static unsigned long order3, order0;
module_param(order3, ulong, 0444);
module_param(order0, ulong, 0444);
struct ctx {
	struct page_frag_cache cache;
	unsigned int id;
	void *frag;
};
static struct ctx **ctxs;
static int __init m_init(void)
{
	unsigned long want = DIV_ROUND_UP(bytes, 32768), i;
	if (!want)
		return 0;
	ctxs = kvcalloc(want, sizeof(*ctxs), GFP_KERNEL);
	if (!ctxs)
		return -ENOMEM;
	for (i = 0; i < want; i++) {
		struct ctx *c = kzalloc(sizeof(*c), GFP_KERNEL);
		struct page *p;
		if (!c)
			break;
		c->id = i;
		c->frag = page_frag_alloc(&c->cache, fragsz, GFP_KERNEL);
		if (!c->frag) {
			kfree(c);
			break;
		}
		p = virt_to_head_page(c->cache.va);
		if (compound_order(p) == 3)
			order3++;
		else
			order0++;
		held += PAGE_SIZE << compound_order(p);
		page_frag_free(c->frag);
		c->frag = NULL;
		ctxs[i] = c;
		nr++;
		a0 = ~(unsigned long)&c->cache;
		a1 = ~(unsigned long)c->cache.va;
	}
	return 0;
}
module_init(m_init);
