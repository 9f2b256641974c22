package dev.leakdx.engine;

import dev.leakdx.extract.Sink;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.SlabCache;
import dev.leakdx.facts.Units;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Values no kernel can print, set aside before the rules run, each as a diagnostic with its
 * file:line: a slab cache with more active objects than objects, a meminfo counter of memory
 * above MemTotal. Rules never see them (a garbled paste must not become a verdict), and the
 * report says what was set aside and why.
 */
public final class ImpossibleValues {
    private ImpossibleValues() {}

    /** meminfo lines that are parts of MemTotal (or sums of parts): none can exceed it. Address space (VmallocTotal), commit and swap lines can. */
    static final Set<String> WITHIN_TOTAL = Set.of("MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached", "Active", "Inactive",
            "Active(anon)", "Inactive(anon)", "Active(file)", "Inactive(file)", "Unevictable", "Mlocked", "AnonPages", "Mapped", "Shmem",
            "KReclaimable", "Slab", "SReclaimable", "SUnreclaim", "KernelStack", "PageTables", "SecPageTables", "Percpu", "Hugetlb",
            "AnonHugePages", "VmallocUsed", "FilePages", "MemUsed");

    public static List<Fact> setAside(List<Fact> facts, Sink sink) {
        Map<String, Long> totals = new HashMap<>();
        for (Fact f : facts)
            if (f instanceof MemCounter m && m.name().equals("MemTotal") && m.bytes() > 0) totals.put(key(m), m.bytes());
        List<Fact> out = new ArrayList<>(facts.size());
        for (Fact f : facts) {
            var p = f.provenance();
            if (f instanceof SlabCache c && c.activeObjs() >= 0 && c.numObjs() >= 0 && c.activeObjs() > c.numObjs()) {
                sink.diagnostic(p.file(), p.firstLine(), "warning", "slab cache " + c.name() + ": " + Units.count(c.activeObjs())
                        + " active objects of " + Units.count(c.numObjs()) + " in all is impossible; the row is set aside");
                continue;
            }
            if (f instanceof MemCounter m && WITHIN_TOTAL.contains(m.name()) && totals.containsKey(key(m)) && m.bytes() > totals.get(key(m))) {
                sink.diagnostic(p.file(), p.firstLine(), "warning", m.source() + " " + m.name() + " " + Units.bytes(m.bytes())
                        + " is above MemTotal " + Units.bytes(totals.get(key(m))) + ", which is impossible; the line is set aside");
                continue;
            }
            out.add(f);
        }
        return out;
    }

    /** One MemTotal per file, host and snapshot (a capture may hold several meminfo files). */
    private static String key(MemCounter m) {
        var p = m.provenance();
        return m.source() + "|" + p.file() + "|" + p.host() + "|" + p.snapshot();
    }
}
