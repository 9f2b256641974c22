package dev.leakdx.engine;

import dev.leakdx.facts.EventCounter;
import dev.leakdx.facts.MemCounter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Unknown is not zero: the meminfo budget gap (MemTotal less its disjoint parts) is only a gap
 * when every part the kernel prints was captured. A truncated meminfo, a per-node meminfo (no
 * Cached, Buffers or Hugepagesize) or a 2.4 meminfo (no Slab split) lacks parts; subtracting
 * them as zeros invents a gap of 30-90% of RAM. budget.drl and {@link Trends} both ask here.
 */
public final class MeminfoBudget {
    private MeminfoBudget() {}

    /**
     * Parts every meminfo since 2.6.32 prints (KernelStack came in 2.6.32, SReclaimable/SUnreclaim
     * in 2.6.19). Percpu (4.16) and SecPageTables (6.1) are printed only by newer kernels; without
     * them the gap holds them, which the unaccounted norm allows for.
     */
    public static final List<String> REQUIRED = List.of("MemFree", "Buffers", "Cached", "SwapCached", "AnonPages", "SReclaimable",
            "SUnreclaim", "KernelStack", "PageTables");

    /** Per-node meminfo (drivers/base/node.c) prints FilePages = NR_FILE_PAGES = Cached + SwapCached + Buffers. */
    public static final List<String> IN_FILE_PAGES = List.of("Buffers", "Cached", "SwapCached");

    /** The lines a gap would need that the capture lacks, in meminfo order; empty when the gap can be computed. */
    public static List<String> missing(Map<String, Long> lines, boolean hugetlbCounted) {
        List<String> out = new ArrayList<>();
        if (!lines.containsKey("MemTotal")) out.add("MemTotal");
        boolean filePages = lines.containsKey("FilePages") && !lines.containsKey("Cached");
        for (String r : REQUIRED) if (!lines.containsKey(r) && !(filePages && IN_FILE_PAGES.contains(r))) out.add(r);
        if (!lines.containsKey("Hugetlb") && !hugetlbCounted) out.add("Hugetlb (or HugePages_Total and Hugepagesize)");
        return out;
    }

    /** FilePages stands for Buffers + Cached + SwapCached when those are absent: the bytes to add to the explained parts. */
    public static long filePagesEquivalent(Map<String, Long> lines) {
        return lines.containsKey("FilePages") && !lines.containsKey("Cached") ? lines.get("FilePages") : 0;
    }

    /** The same for the facts of one snapshot (rules): MemCounters and the HugePages_Total counter. */
    public static List<String> missing(List<?> memCounters, List<?> hugePagesTotal) {
        Map<String, Long> lines = lines(memCounters);
        boolean huge = !hugePagesTotal.isEmpty() && lines.containsKey("Hugepagesize");
        if (!hugePagesTotal.isEmpty() && ((EventCounter) hugePagesTotal.get(0)).value() == 0) huge = true; // an empty pool holds nothing
        return missing(lines, huge);
    }

    public static long filePagesEquivalent(List<?> memCounters) {
        return filePagesEquivalent(lines(memCounters));
    }

    static Map<String, Long> lines(List<?> memCounters) {
        Map<String, Long> m = new HashMap<>();
        for (Object o : memCounters) {
            MemCounter c = (MemCounter) o;
            if (c.bytes() >= 0) m.putIfAbsent(c.name(), c.bytes());
        }
        return m;
    }
}
