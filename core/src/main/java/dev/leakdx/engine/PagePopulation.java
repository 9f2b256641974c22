package dev.leakdx.engine;

import dev.leakdx.facts.PageGroup;
import dev.leakdx.facts.Units;

import java.util.List;

/**
 * Page groups of one page table that share the traits that matter (lru.next class, mapping,
 * refcount) and differ only in what does not (node/zone bits, other members): founding case
 * 1's 17 groups become one population of 661,713 pages. {@code pages} counts head (or order-0)
 * pages, as crash's SHARED does; {@code totalPages} adds their tails.
 */
public record PagePopulation(String subject, String file, String lruClass, String mappingClass, long mapcount, long refcount,
                             long pages, long totalPages, long pageSize, int order, int groups, int nodeZoneVariants,
                             List<PageGroup> members) {
    public long bytes() { return totalPages * pageSize; }

    public long unitBytes() { return pageSize << order; }

    /** True when a struct page address is one of the example rows of this population's groups. */
    public boolean hasExample(long page) {
        for (PageGroup g : members) if (g.hasExample(page)) return true;
        return false;
    }

    public static PagePopulation of(List<PageGroup> groups, long pageSize) {
        PageGroup f = groups.get(0);
        long pages = 0, total = 0, tails = 0;
        int variants = 0;
        java.util.Set<Long> high = new java.util.HashSet<>();
        for (PageGroup g : groups) {
            pages += g.pages();
            total += g.totalPages();
            tails += g.tailPages();
            high.addAll(g.highBits().keySet());
        }
        variants = high.size();
        int order = 0;
        if (pages > 0 && tails % pages == 0) order = 63 - Long.numberOfLeadingZeros(1 + tails / pages);
        String subject = "pages with _refcount " + Units.hex(f.refcount()) + ", mapping " + f.mappingClass()
                + (f.lruClass().isEmpty() ? "" : ", lru.next " + f.lruClass()) + " (" + f.provenance().file() + ")";
        return new PagePopulation(subject, f.provenance().file(), f.lruClass(), f.mappingClass(), f.mapcount(), f.refcount(),
                pages, total, pageSize, order, groups.size(), variants, List.copyOf(groups));
    }

    /** Page size multiplied out, in the analysts' words: "661,713 pages of 64 KiB (40.4 GiB)". */
    public String describe() {
        return Units.count(pages) + (order > 0 ? " compound pages of order " + order + " (" + Units.bytes(unitBytes()) + " each)"
                : " pages of " + Units.bytes(pageSize)) + " = " + Units.bytes(bytes()) + ", _refcount " + Units.hex(refcount)
                + " (" + refcount + "), mapping " + mappingClass
                + (mapcount == PageGroup.ABSENT ? "" : ", _mapcount " + mapcount)
                + (lruClass.isEmpty() ? "" : ", lru.next " + lruClass)
                + (nodeZoneVariants > 1 ? ", over " + nodeZoneVariants + " node/zone values" : "")
                + (groups > 1 ? " (" + groups + " page groups)" : "");
    }

    @Override public String toString() { return "population: " + describe(); }
}
