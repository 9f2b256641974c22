package dev.leakdx.extract;

import dev.leakdx.capture.Manifest;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.HugePagePool;
import dev.leakdx.facts.KernelStruct;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.PageDescriptor;
import dev.leakdx.facts.PageGroup;
import dev.leakdx.facts.Provenance;
import dev.leakdx.facts.SearchHit;
import dev.leakdx.facts.SlabCache;
import dev.leakdx.facts.Units;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Settles the host's page size, architecture, kernel release and RAM from what the capture
 * states or implies, in a fixed order of trust (manifest, then a capture that states it, then
 * inference), and says how each was decided. Nothing downstream assumes 4 KiB pages or x86_64:
 * it reads these facts. Counters given in pages are then turned into exact bytes.
 */
public final class HostInference {
    private HostInference() {}

    public static List<Fact> settle(List<Fact> facts, Manifest manifest, Sink sink) {
        facts = DerivedCounters.add(facts, sink); // SUnreclaim from Slab - SReclaimable, MemTotal from free: before RAM is settled
        Map<String, List<HostFact>> candidates = new LinkedHashMap<>();
        for (var e : manifest.hostFacts().entrySet()) {
            String key = e.getKey().equals("kernel") ? "kernel_release" : e.getKey();
            String value = key.equals("page_size") ? Long.toString(sizeOf(e.getValue())) : e.getValue();
            add(candidates, new HostFact(key, value, "stated in the manifest",
                    new Provenance(manifest.source().isEmpty() ? "case.yaml" : manifest.source(), 1, 1, "", "", "")));
        }
        for (Fact f : facts) if (f instanceof HostFact h && h.provenance().host().isEmpty()) add(candidates, normalise(h));

        inferPageSizeFromCounters(facts, candidates);
        inferPageSizeFromHugePages(facts, candidates);
        inferPageSizeFromSlabinfo(facts, candidates);
        long pageSize = first(candidates, "page_size") == null ? -1 : first(candidates, "page_size").asLong();
        inferArch(facts, candidates, pageSize);
        inferRam(facts, candidates, pageSize);

        List<Fact> out = new ArrayList<>();
        List<HostFact> settled = new ArrayList<>();
        for (var e : candidates.entrySet()) {
            HostFact chosen = e.getValue().get(0);
            for (HostFact other : e.getValue()) {
                if (!other.value().equals(chosen.value()) && !other.provenance().isDerived() && !chosen.key().equals("mem_map_base"))
                    sink.diagnostic(other.provenance().file(), other.provenance().firstLine(), "warning",
                            chosen.key() + " " + other.value() + " disagrees with " + chosen.value() + " (" + chosen.how() + "); using " + chosen.value());
            }
            settled.add(chosen);
        }
        for (Fact f : facts) {
            if (f instanceof HostFact h && h.provenance().host().isEmpty()) continue; // replaced by the settled ones
            // kmem -i prints rounded sizes and exact pages; vmstat and an OOM report's Mem-Info give pages only:
            // bytes from the settled page size
            if (f instanceof MemCounter m && m.pages() >= 0 && pageSize > 0
                    && (m.source().equals("kmem -i") || m.source().equals("vmstat") || m.source().equals("oom-meminfo")
                        || m.source().startsWith("vmstat-node") || m.source().equals("sockstat") || m.source().equals("pagetypeinfo"))) {
                long bytes;
                try {
                    bytes = Math.multiplyExact(m.pages(), pageSize);
                } catch (ArithmeticException e) {
                    // pages no machine has: an impossible value, not used (knowledge-base-docs/reliability.md)
                    sink.diagnostic(m.provenance().file(), m.provenance().firstLine(), "error", "impossible value, MemCounter not used: "
                            + m.name() + " " + m.pages() + " pages of " + pageSize + " bytes overflows 64-bit bytes");
                    continue;
                }
                f = new MemCounter(m.source(), m.name(), m.pages(), bytes, m.provenance());
            }
            out.add(f);
        }
        out.addAll(settled);
        return out;
    }

    private static HostFact normalise(HostFact h) {
        // a spec may state a page size with a unit ("4K" from an OOM report's free-area line): bytes, as everywhere else
        if (h.key().equals("page_size") && !h.value().strip().matches("\\d+"))
            return new HostFact("page_size", Long.toString(sizeOf(h.value())), h.how(), h.provenance());
        if (h.key().equals("arch")) {
            String a = h.value().toLowerCase(Locale.ROOT);
            String norm = a.startsWith("aarch64") || a.startsWith("arm64") ? "arm64" : a.startsWith("x86_64") || a.equals("amd64") ? "x86_64" : a;
            return new HostFact("arch", norm, h.how(), h.provenance());
        }
        return h;
    }

    private static long sizeOf(String v) {
        String t = v.strip().toUpperCase(Locale.ROOT);
        if (t.matches("\\d+")) return Long.parseLong(t);
        if (t.endsWith("K") || t.endsWith("KB") || t.endsWith("KIB")) return Long.parseLong(t.replaceAll("[^0-9]", "")) * 1024;
        return Units.parseCrashSize(t);
    }

    private static void add(Map<String, List<HostFact>> c, HostFact h) {
        c.computeIfAbsent(h.key(), k -> new ArrayList<>()).add(h);
    }

    private static HostFact first(Map<String, List<HostFact>> c, String key) {
        List<HostFact> l = c.get(key);
        return l == null || l.isEmpty() ? null : l.get(0);
    }

    /** kmem -i prints pages and a rounded size: TOTAL MEM 8,362,460 pages = 510.4 GB gives 65,536 within rounding. */
    private static void inferPageSizeFromCounters(List<Fact> facts, Map<String, List<HostFact>> c) {
        for (Fact f : facts) {
            if (!(f instanceof MemCounter m) || !m.source().equals("kmem -i") || !m.host().isEmpty()) continue;
            if (m.pages() < 1000 || m.bytes() <= 0) continue;
            double ratio = m.bytes() / (double) m.pages();
            long p2 = Long.highestOneBit(Math.round(ratio * 1.5));
            if (p2 >= 4096 && Math.abs(ratio - p2) / p2 < 0.02) {
                add(c, new HostFact("page_size", Long.toString(p2), "kmem -i " + m.name() + ": " + Units.count(m.pages())
                        + " pages are " + Units.bytes(m.bytes()) + " as crash rounds it, " + Math.round(ratio) + " bytes a page",
                        m.provenance()));
                return;
            }
        }
    }

    /**
     * A PMD-sized huge page is PAGE_SIZE^2/8 (KERNEL-NOTES §2): 2 MiB with 4 KiB pages, 512 MiB with
     * 64 KiB. meminfo's Hugepagesize (the default hstate, PMD-sized unless default_hugepagesz= says
     * otherwise) is trusted first; the per-node log lines only when they name a single size, since a
     * host with several hstates (arm64 64K: 2 MiB contiguous-PTE, 512 MiB PMD, 16 GiB PUD) would
     * otherwise mislead.
     */
    private static void inferPageSizeFromHugePages(List<Fact> facts, Map<String, List<HostFact>> c) {
        HugePagePool chosen = null;
        for (Fact f : facts) {
            if (!f.provenance().host().isEmpty()) continue;
            // the current snapshot's meminfo is cited before an earlier one's (proc-before/): same host, same answer
            if (f instanceof MemCounter m && m.source().equals("meminfo") && m.name().equals("Hugepagesize") && m.bytes() > 0
                    && (chosen == null || !chosen.provenance().snapshot().isEmpty() && m.provenance().snapshot().isEmpty()))
                chosen = new HugePagePool("all", m.bytes(), 0, 0, 0, m.provenance());
        }
        if (chosen == null) {
            // only the log sizes that can be PMD-sized count (1 GiB PUD pages cannot); infer if exactly one can
            Map<Long, HugePagePool> bySize = new LinkedHashMap<>();
            for (Fact f : facts)
                if (f instanceof HugePagePool p && p.provenance().host().isEmpty() && pmdPageSize(p.pageSize()) > 0)
                    bySize.putIfAbsent(p.pageSize(), p);
            int candidates = bySize.size();
            HugePagePool only = candidates == 1 ? bySize.values().iterator().next() : null;
            if (candidates == 1) chosen = only;
        }
        if (chosen == null) return;
        long ps = pmdPageSize(chosen.pageSize());
        if (ps > 0) {
            add(c, new HostFact("page_size", Long.toString(ps), "the huge page size " + Units.bytes(chosen.pageSize())
                    + " is PAGE_SIZE\u00b2/8 for " + Units.bytes(ps) + " pages (a PMD-sized default hstate)", chosen.provenance()));
        }
    }

    /**
     * slabinfo prints each cache's s->size (the object with its metadata), objperslab and
     * pagesperslab (mm/slab_common.c cache_show). SLUB packs a slab of PAGE_SIZE << order bytes
     * with (PAGE_SIZE << order) / s->size objects (mm/slub.c order_objects), so objperslab x objsize
     * is more than half the slab and at most all of it: rounded up to a power of two, objperslab x
     * objsize / pagesperslab is the page size. (SLAB's per-object freelist index only lowers the
     * object count by a few percent.) Every cache must give the same answer, or nothing is inferred.
     */
    private static void inferPageSizeFromSlabinfo(List<Fact> facts, Map<String, List<HostFact>> c) {
        long answer = -1;
        SlabCache witness = null;
        for (Fact f : facts) {
            if (!(f instanceof SlabCache s) || !s.source().equals("slabinfo") || !s.provenance().host().isEmpty()
                    || !s.provenance().snapshot().isEmpty()) continue;
            if (s.objPerSlab() <= 0 || s.pagesPerSlab() <= 0 || s.objSize() <= 0) continue;
            long perPage = s.objPerSlab() * s.objSize() / s.pagesPerSlab();
            if (perPage <= 0) continue;
            long p2 = Long.highestOneBit(perPage) == perPage ? perPage : Long.highestOneBit(perPage) << 1;
            if (answer == -1) {
                answer = p2;
                witness = s;
            } else if (answer != p2) {
                return;
            }
        }
        if (witness == null || answer < 4096 || answer > 65536) return;
        add(c, new HostFact("page_size", Long.toString(answer), "slabinfo " + witness.name() + ": " + witness.objPerSlab()
                + " objects of " + Units.bytes(witness.objSize()) + " fill " + witness.pagesPerSlab()
                + (witness.pagesPerSlab() == 1 ? " page" : " pages") + ", as every cache's do, so a page is " + Units.bytes(answer),
                witness.provenance()));
    }

    /** The base page size for which a huge page of this size is PMD-sized, or -1. */
    private static long pmdPageSize(long hugePageSize) {
        long ps = Math.round(Math.sqrt(hugePageSize * 8.0));
        return (ps == 4096 || ps == 16384 || ps == 65536) && ps * ps / 8 == hugePageSize ? ps : -1;
    }

    private static void inferArch(List<Fact> facts, Map<String, List<HostFact>> c, long pageSize) {
        Provenance where = null;
        long addr = 0;
        for (Fact f : facts) {
            long a = 0;
            if (f instanceof KernelStruct k) a = k.address();
            else if (f instanceof SearchHit s) a = s.location();
            else if (f instanceof PageDescriptor p) a = p.page();
            else if (f instanceof PageGroup g) a = g.example();
            // arm64 kernel addresses below 0xffff800000000000: vmalloc/vmemmap before 5.4, the linear map after;
            // on x86_64 with 4-level paging they are not canonical.
            if (a != 0 && a != -1 && Long.compareUnsigned(a, 0xffff000000000000L) >= 0 && Long.compareUnsigned(a, 0xffff800000000000L) < 0) {
                where = f.provenance();
                addr = a;
                break;
            }
        }
        if (where != null && pageSize > 4096) {
            add(c, new HostFact("arch", "arm64", "kernel address " + Units.hex(addr) + " lies in 0xffff000000000000-0xffff7fffffffffff "
                    + "(arm64 kernel space; not canonical on x86_64) and pages are " + Units.bytes(pageSize)
                    + " (x86_64 has only 4 KiB base pages)", where));
        }
    }

    private static void inferRam(List<Fact> facts, Map<String, List<HostFact>> c, long pageSize) {
        for (Fact f : facts) {
            if (f instanceof MemCounter m && m.host().isEmpty() && m.snapshot().isEmpty() && m.bytes() > 0
                    && (m.name().equals("TOTAL MEM") || m.name().equals("MemTotal"))) {
                // kmem -i's size is rounded; its page count times the page size is exact
                boolean exact = m.pages() > 0 && pageSize > 0;
                if (exact && m.pages() > Long.MAX_VALUE / pageSize) continue; // overflows: said when the counter is settled
                long bytes = exact ? m.pages() * pageSize : m.bytes();
                add(c, new HostFact("ram_bytes", Long.toString(bytes), m.source() + " " + m.name()
                        + (exact ? ": " + Units.count(m.pages()) + " pages of " + Units.bytes(pageSize) : ""), m.provenance()));
                return;
            }
        }

        // an OOM report alone: "N pages RAM" (show_mem) less "N pages reserved", once the page size is known
        long ram = -1, reserved = 0;
        Provenance where = null;
        for (Fact f : facts) {
            if (!(f instanceof MemCounter m) || !m.source().equals("oom-meminfo") || !m.host().isEmpty() || m.pages() < 0) continue;
            if (m.name().equals("pages RAM") && ram < 0) { ram = m.pages(); where = m.provenance(); }
            if (m.name().equals("pages reserved")) reserved = m.pages();
        }
        if (ram > 0 && pageSize > 0)
            add(c, new HostFact("ram_bytes", Long.toString((ram - reserved) * pageSize), "OOM report: " + Units.count(ram)
                    + " pages RAM less " + Units.count(reserved) + " reserved, of " + Units.bytes(pageSize), where));
    }
}
