package dev.leakdx.facts;

import java.util.List;

/**
 * One /proc/buddyinfo line (mm/vmstat.c frag_show_print): the free blocks of each order in one
 * zone of one node, "Node 0, zone   Normal  n0 n1 ... n10". The number of orders is whatever the
 * kernel printed (MAX_ORDER: 11 on 4 KiB x86_64, 14 on some 64 KiB arm64 configurations).
 */
public record BuddyZone(int node, String zone, List<Long> freeByOrder, Provenance provenance) implements Fact {
    public BuddyZone {
        freeByOrder = List.copyOf(freeByOrder);
    }

    /** Free base pages: sum of n_order << order. */
    public long freePages() {
        long p = 0;
        for (int o = 0; o < freeByOrder.size(); o++) p += freeByOrder.get(o) << o;
        return p;
    }

    /** Free base pages in blocks of at least {@code order}: what an order-N allocation could use. */
    public long freePagesAtOrAbove(int order) {
        long p = 0;
        for (int o = Math.max(0, order); o < freeByOrder.size(); o++) p += freeByOrder.get(o) << o;
        return p;
    }

    /** The largest order with a free block, or -1 when the zone has none. */
    public int highestFreeOrder() {
        for (int o = freeByOrder.size() - 1; o >= 0; o--) if (freeByOrder.get(o) > 0) return o;
        return -1;
    }

    public long freeBytes(long pageSize) { return freePages() * pageSize; }

    @Override public String describe() {
        return "buddy node " + node + " zone " + zone + ": " + Units.count(freePages()) + " free pages " + freeByOrder
                + (provenance.context().isEmpty() ? "" : " [" + provenance.context() + "]");
    }
}
