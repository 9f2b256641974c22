package dev.leakdx.extract;

import dev.leakdx.facts.Fact;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.Provenance;
import dev.leakdx.facts.Units;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * meminfo counters a paste left out but that the lines it kept determine exactly, derived before
 * the rules run so a grep'd meminfo is judged like a whole one (unknown is not zero, but a
 * counter two printed lines fix is not unknown either):
 *
 * <ul>
 * <li>{@code SUnreclaim = Slab - SReclaimable} and {@code SReclaimable = Slab - SUnreclaim}: the
 * kernel prints Slab as the sum of the two (fs/proc/meminfo.c, {@code "Slab:", sreclaimable +
 * sunreclaim}, 2.6.19+). The derived counter cites both lines (their range) and says how it was
 * made. A SUnreclaim that a paste series kept from an earlier block, whose sum with the current
 * SReclaimable is not the current Slab, is that earlier block's reading: it takes the label of
 * the Slab reading before it, and the current one is derived.</li>
 * <li>{@code MemTotal} from free's Mem total, when a meminfo excerpt lacks it: procps reads
 * "total" from MemTotal (free(1); proc/sysinfo.c meminfo()).</li>
 * </ul>
 * Each derivation is said in a diagnostic with file:line.
 */
final class DerivedCounters {
    private DerivedCounters() {}

    /** The kernel prints kB: a sum checked to the KiB. */
    private static final long KIB = 1024;

    static List<Fact> add(List<Fact> facts, Sink sink) {
        List<Fact> out = new ArrayList<>(facts);
        // first the readings a series kept from an earlier block go back to it, then what is missing is derived
        for (Map<String, Integer> g : groups(out).values()) slabSplit(out, g, sink, false);
        for (Map<String, Integer> g : groups(out).values()) slabSplit(out, g, sink, true);
        memTotalFromFree(out, sink);
        return out;
    }

    /** meminfo counters by host and snapshot: name to index in {@code out} (the first reading of each). */
    private static Map<String, Map<String, Integer>> groups(List<Fact> out) {
        Map<String, Map<String, Integer>> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < out.size(); i++) {
            if (!(out.get(i) instanceof MemCounter m) || !m.source().equals("meminfo") || m.bytes() < 0) continue;
            byGroup.computeIfAbsent(m.host() + "\u0000" + m.snapshot(), k -> new LinkedHashMap<>()).putIfAbsent(m.name(), i);
        }
        return byGroup;
    }

    private static void slabSplit(List<Fact> out, Map<String, Integer> g, Sink sink, boolean derive) {
        Integer slabI = g.get("Slab"), recI = g.get("SReclaimable"), unI = g.get("SUnreclaim");
        if (slabI == null) return;
        MemCounter slab = (MemCounter) out.get(slabI);
        if (recI != null && unI != null) {
            MemCounter rec = (MemCounter) out.get(recI), un = (MemCounter) out.get(unI);
            if (Math.abs(rec.bytes() + un.bytes() - slab.bytes()) <= KIB) return; // consistent: nothing to derive
            // one of the split lines belongs to an earlier block of a paste series: the one read before the Slab line
            MemCounter stale = un.provenance().lastLine() < slab.provenance().firstLine() && sameFile(un, slab) ? un
                    : rec.provenance().lastLine() < slab.provenance().firstLine() && sameFile(rec, slab) ? rec : null;
            String label = stale == null ? null : earlierLabel(out, stale);
            if (label == null) return; // cannot tell which reading is stale: leave them as read
            out.set(stale == un ? unI : recI, relabel(stale, label));
            sink.diagnostic(stale.provenance().file(), stale.provenance().firstLine(), "info", "meminfo " + stale.name() + " "
                    + Units.bytes(stale.bytes()) + " does not add up with Slab " + Units.bytes(slab.bytes()) + " (line "
                    + slab.provenance().firstLine() + "): read as the earlier snapshot " + label + ", the one of the Slab line before it");
            return;
        }
        if (!derive) return;
        if (recI != null && unI == null) derive(out, slab, (MemCounter) out.get(recI), "SUnreclaim", sink);
        else if (unI != null && recI == null) derive(out, slab, (MemCounter) out.get(unI), "SReclaimable", sink);
    }

    private static void derive(List<Fact> out, MemCounter slab, MemCounter other, String name, Sink sink) {
        long bytes = slab.bytes() - other.bytes();
        if (bytes < 0 || !sameFile(slab, other)) return; // an impossible split, or lines of two files: not derived
        Provenance p = slab.provenance();
        long first = Math.min(p.firstLine(), other.provenance().firstLine()), last = Math.max(p.lastLine(), other.provenance().lastLine());
        out.add(new MemCounter("meminfo", name, -1, bytes,
                new Provenance(p.file(), first, last, p.host(), p.snapshot(), "derived: Slab - " + other.name())));
        sink.diagnostic(p.file(), first, "info", "meminfo has no " + name + " line: derived as Slab - " + other.name() + " = "
                + Units.bytes(bytes) + " (lines " + p.firstLine() + " and " + other.provenance().firstLine() + "; the kernel prints Slab as their sum)");
    }

    /** The snapshot label of the nearest meminfo Slab reading before {@code stale} in the same file, when it has one. */
    private static String earlierLabel(List<Fact> out, MemCounter stale) {
        MemCounter best = null;
        for (Fact f : out) {
            if (!(f instanceof MemCounter m) || !m.source().equals("meminfo") || !m.name().equals("Slab") || m.snapshot().isEmpty()
                    || !sameFile(m, stale) || !m.host().equals(stale.host()) || m.provenance().firstLine() > stale.provenance().firstLine()) continue;
            if (best == null || m.provenance().firstLine() > best.provenance().firstLine()) best = m;
        }
        return best == null ? null : best.snapshot();
    }

    /** free's Mem total as meminfo MemTotal, for a host and snapshot whose meminfo lines lack it. */
    private static void memTotalFromFree(List<Fact> out, Sink sink) {
        Map<String, MemCounter> freeTotal = new LinkedHashMap<>();
        Map<String, Boolean> meminfo = new LinkedHashMap<>();
        for (Fact f : out) {
            if (!(f instanceof MemCounter m)) continue;
            String k = m.host() + "\u0000" + m.snapshot();
            if (m.source().equals("free") && m.name().equals("Mem total") && m.bytes() > 0) freeTotal.putIfAbsent(k, m);
            if (m.source().equals("meminfo")) meminfo.merge(k, m.name().equals("MemTotal"), Boolean::logicalOr);
        }
        for (var e : meminfo.entrySet()) {
            MemCounter t = freeTotal.get(e.getKey());
            if (e.getValue() || t == null) continue;
            Provenance p = t.provenance();
            out.add(new MemCounter("meminfo", "MemTotal", -1, t.bytes(),
                    new Provenance(p.file(), p.firstLine(), p.lastLine(), p.host(), p.snapshot(), "derived: free Mem total")));
            sink.diagnostic(p.file(), p.firstLine(), "info", "meminfo has no MemTotal line: free's Mem total " + Units.bytes(t.bytes())
                    + " is used for it (free reads its total from MemTotal)");
        }
    }

    private static boolean sameFile(MemCounter a, MemCounter b) {
        return a.provenance().file().equals(b.provenance().file());
    }

    private static MemCounter relabel(MemCounter m, String label) {
        Provenance p = m.provenance();
        return new MemCounter(m.source(), m.name(), m.pages(), m.bytes(), new Provenance(p.file(), p.firstLine(), p.lastLine(), p.host(), label, p.command()));
    }
}
