package dev.leakdx.engine;

import dev.leakdx.facts.HugePagePool;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.Units;

import java.util.List;
import java.util.Locale;

/**
 * The memory budget of one show_mem report (an OOM report's Mem-Info block, or sysrq-m), in the
 * kernel's own page counts: the pages the allocator manages ({@code N pages RAM} less
 * {@code N pages reserved}) less every part the report counts (free pages, pages on the per-CPU
 * lists, the LRU lists, slab, page tables, secondary page tables, misc reclaimable, bounce, hugetlb
 * pools). What is left is in no counter the report prints. Pages are turned into bytes with the
 * page size the extractors stored in each counter (taken from the report's free-area line), never
 * assumed.
 *
 * <p>The counters are those of {@code lib/show_mem.c} and {@code show_free_areas()} in
 * mm/page_alloc.c (mm/show_mem.c since 6.2): before 2.6.28 the LRU was printed as
 * {@code active}/{@code inactive}, from 2.6.28 split into anon and file, from 2.6.31 with isolated
 * pages; slab as {@code slab} before 2.6.30, then {@code slab_reclaimable}/{@code slab_unreclaimable}.
 */
public record OomReportBudget(long managedPages, long managedBytes, long countedPages, long gapPages, long gapBytes,
                              long freePages, long freeCmaPages, long hugetlbBytes, String parts, boolean printsKernelStacks) {

    /** The LRU lists in any era (lower-cased names). */
    private static final List<String> LRU = List.of("active", "inactive", "active_anon", "inactive_anon", "active_file",
            "inactive_file", "isolated_anon", "isolated_file", "unevictable");
    /** Other parts the summary line prints that hold pages. */
    private static final List<String> OTHER = List.of("free_pcp", "slab", "slab_reclaimable", "slab_unreclaimable",
            "pagetables", "sec_pagetables", "kernel_misc_reclaimable", "bounce");

    /** The largest of the given lines (Long), or -1 when there is none: where the previous report ended. */
    public static long lastLine(List<?> lines) {
        long m = -1;
        for (Object o : lines) m = Math.max(m, ((Number) o).longValue());
        return m;
    }

    /**
     * The budget of the report whose {@code pages RAM} counter is {@code ram}, from the counters of
     * its report ({@code counters}: Mem-Info lines before it, {@code pages reserved} after it) and its
     * hugetlb pools; null when a part the budget needs (free, slab, page tables, the LRU, reserved) is
     * missing or has no size in bytes (page size unknown).
     */
    public static OomReportBudget of(MemCounter ram, List<?> counters, List<?> pools) {
        if (ram.pages() <= 0 || ram.bytes() <= 0) return null;
        long line = ram.provenance().firstLine();
        MemCounter reserved = null;
        java.util.Map<String, MemCounter> last = new java.util.LinkedHashMap<>();
        for (Object o : counters) {
            MemCounter c = (MemCounter) o;
            long l = c.provenance().firstLine();
            if (c.name().equals("pages reserved") && l > line) {
                if (reserved == null || l < reserved.provenance().firstLine()) reserved = c;
            } else if (l <= line) {
                String k = c.name().toLowerCase(Locale.ROOT);
                MemCounter had = last.get(k);
                if (had == null || l >= had.provenance().firstLine()) last.put(k, c);
            }
        }
        MemCounter free = last.get("free"), pt = last.get("pagetables");
        boolean slab = last.containsKey("slab") || last.containsKey("slab_unreclaimable");
        boolean lru = LRU.stream().anyMatch(last::containsKey);
        if (reserved == null || free == null || pt == null || !slab || !lru) return null;
        long pageSize = ram.bytes() / ram.pages();
        for (MemCounter c : last.values()) if (c.pages() >= 0 && c.bytes() < 0) return null;
        if (reserved.bytes() < 0 || pageSize <= 0) return null;

        long managed = ram.pages() - reserved.pages();
        long counted = free.pages();
        StringBuilder parts = new StringBuilder("free " + Units.count(free.pages()));
        long lruPages = 0;
        for (String k : LRU) if (last.containsKey(k)) lruPages += Math.max(0, last.get(k).pages());
        counted += lruPages;
        parts.append(", LRU lists ").append(Units.count(lruPages));
        for (String k : OTHER) {
            MemCounter c = last.get(k);
            if (c == null || c.pages() <= 0) continue;
            counted += c.pages();
            parts.append(", ").append(k).append(' ').append(Units.count(c.pages()));
        }
        long huge = 0;
        for (Object o : pools) huge += Math.max(0, ((HugePagePool) o).totalBytes());
        long hugePages = huge / pageSize;
        if (hugePages > 0) { counted += hugePages; parts.append(", hugetlb ").append(Units.count(hugePages)); }
        MemCounter cma = last.get("free_cma");
        long gap = managed - counted;
        return new OomReportBudget(managed, managed * pageSize, counted, gap, gap * pageSize, free.pages(),
                cma == null ? 0 : Math.max(0, cma.pages()), huge, parts.toString(), last.containsKey("kernel_stack"));
    }

    /** "516,096 pages RAM less 17,302 reserved = 498,794 pages; counted: free ...; left 341,109 pages". */
    public String text() {
        return Units.count(managedPages) + " pages managed (pages RAM less pages reserved), of which the report counts "
                + Units.count(countedPages) + " (" + parts + "): " + Units.count(gapPages) + " pages are in no counter"
                + (freeCmaPages > 0 ? "; " + Units.count(freeCmaPages) + " of the free pages are CMA, which only movable"
                + " allocations can use, so a kernel allocation saw " + Units.count(Math.max(0, freePages - freeCmaPages))
                + " usable free pages" : "");
    }

}
