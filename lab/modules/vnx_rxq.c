// SPDX-License-Identifier: GPL-2.0
/* NIC RX ring lookalike, the way Intel-style drivers (ixgbe, igb, i40e, ...) refill a ring:
 * order-0 pages whose refcount is raised by USHRT_MAX - 1 and whose buffer records hold
 * pagecnt_bias = USHRT_MAX. Records are 32 bytes, like ixgbe's struct ixgbe_rx_buffer
 * (skb, dma, page, page_offset, pagecnt_bias), in vzalloc'ed rings of ring_size entries.
 * Nothing ever returns the pages: a ring left behind by a driver that went away.
 * a0 = a sample struct page, a1 = the ring record that points to it. */
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/vmalloc.h>
#include <linux/page_ref.h>
#include <linux/io.h>
#include "lab_common.h"
struct rx_buf {
	void *skb;
	dma_addr_t dma;
	struct page *page;
	u32 page_offset;
	u16 pagecnt_bias;
};
static unsigned int ring_size = 1024;
module_param(ring_size, uint, 0444);
static unsigned long rings;
module_param(rings, ulong, 0444);
static struct rx_buf *ring_tab[4096];
static int __init m_init(void)
{
	unsigned long want = bytes >> PAGE_SHIFT, r, i;
	BUILD_BUG_ON(sizeof(struct rx_buf) != 32);
	for (r = 0; r < ARRAY_SIZE(ring_tab) && nr < want; r++) {
		struct rx_buf *ring = vzalloc(ring_size * sizeof(*ring));
		if (!ring)
			break;
		ring_tab[r] = ring;
		rings++;
		for (i = 0; i < ring_size && nr < want; i++) {
			struct page *p = alloc_page(GFP_KERNEL | __GFP_NOWARN);
			if (!p)
				return 0;
			page_ref_add(p, USHRT_MAX - 1);
			ring[i].page = p;
			ring[i].dma = page_to_phys(p);
			ring[i].page_offset = 0;
			ring[i].pagecnt_bias = USHRT_MAX;
			nr++;
			held += PAGE_SIZE;
			a0 = ~(unsigned long)p;
			a1 = ~(unsigned long)&ring[i];
		}
	}
	return 0;
}
module_init(m_init);
