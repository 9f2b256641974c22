// SPDX-License-Identifier: GPL-2.0
/* raw page leak: alloc_pages(order) until `bytes` is held, kept on a private list through
 * page->lru, never freed. No meminfo counter names these pages: only the gap shows them. */
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include "lab_common.h"
static unsigned int order;
module_param(order, uint, 0444);
static LIST_HEAD(pages);
static int __init m_init(void)
{
	while (held < bytes) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, order);
		if (!p)
			break;
		list_add(&p->lru, &pages);
		nr++;
		held += PAGE_SIZE << order;
		if (!a0)
			a0 = ~(unsigned long)p;
		a1 = ~(unsigned long)page_address(p);
	}
	return 0;
}
module_init(m_init);
