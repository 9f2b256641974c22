package dev.leakdx.facts;

/**
 * One row of page-types (tools/mm/page-types.c over /proc/kpageflags): the kpageflags word,
 * how many pages have exactly those flags, and page-types' own symbolic and long names.
 * Bits are the KPF_* numbers of include/uapi/linux/kernel-page-flags.h (KERNEL-NOTES §2):
 * the hex word is authoritative, so the letter set (4.x or 6.x, 26 or 44+ characters) only
 * has to be shown, never decoded.
 */
public record PageTypesRow(long flags, long pages, String symbolic, String names, Provenance provenance) implements Fact {
    public static final int LOCKED = 0, REFERENCED = 2, UPTODATE = 3, DIRTY = 4, LRU = 5, ACTIVE = 6, SLAB = 7, BUDDY = 10,
            MMAP = 11, ANON = 12, SWAPCACHE = 13, SWAPBACKED = 14, COMPOUND_HEAD = 15, COMPOUND_TAIL = 16, HUGE = 17,
            UNEVICTABLE = 18, NOPAGE = 20, KSM = 21, THP = 22, ZERO_PAGE = 24, PGTABLE = 26, RESERVED = 32;

    public boolean has(int bit) { return (flags >>> bit & 1) == 1; }

    /** page-types shows H/T (and bits 32+) only with -r, or for hugetlb pages. */
    public boolean raw() { return (flags >>> 32) != 0 || (has(COMPOUND_HEAD) || has(COMPOUND_TAIL)) && !has(HUGE); }

    /**
     * An anonymous THP head that no process maps. With -r the H bit says so directly (any kernel).
     * Without it, <= 6.9 heads are the rows with lru (tails carry only anon and thp); from 6.10
     * (dee3d0bef2b0) tails copy the folio's flags, so heads and tails share one row: see
     * {@link #unmappedThpFolios()}.
     */
    public boolean unmappedThpHead() {
        if (!has(THP) || !has(ANON) || has(MMAP)) return false;
        return raw() ? has(COMPOUND_HEAD) : has(LRU);
    }

    /** An anonymous THP tail that no process maps (T with -r; otherwise anon and thp without lru). */
    public boolean unmappedThpTail() {
        if (!has(THP) || !has(ANON) || has(MMAP)) return false;
        return raw() ? has(COMPOUND_TAIL) : !has(LRU) && !has(COMPOUND_HEAD);
    }

    /** A 6.10+ summary row holding whole unmapped anon folios, heads and tails together. */
    public boolean unmappedThpFolios() {
        return has(THP) && has(ANON) && has(LRU) && !has(MMAP) && !raw();
    }

    @Override public String describe() {
        return Units.hex(flags) + " x " + Units.count(pages) + " pages " + symbolic + (names.isEmpty() ? "" : " (" + names + ")");
    }
}
