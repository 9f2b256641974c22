package dev.leakdx.extract;

import dev.leakdx.facts.Fact;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.Provenance;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** extract/DerivedCounters on the lines of paste-free-grep-slab-netdata3929 (free, then a grep'd meminfo). */
class DerivedCountersTest {
    static MemCounter mi(String name, long kb, long line, String snapshot) {
        return new MemCounter("meminfo", name, -1, kb * 1024, new Provenance("description.txt", line, line, "", snapshot, ""));
    }

    static List<MemCounter> current(List<Fact> facts, String name) {
        return facts.stream().filter(f -> f instanceof MemCounter m && m.source().equals("meminfo") && m.name().equals(name)
                && m.snapshot().isEmpty()).map(f -> (MemCounter) f).toList();
    }

    @Test void sunreclaimIsSlabLessSReclaimableAndAStaleLineGoesBackToItsSnapshot() {
        List<Fact> in = List.of(mi("Slab", 547_296, 3, "t1"), mi("SReclaimable", 423_956, 4, "t1"), mi("SUnreclaim", 123_340, 5, ""),
                new MemCounter("free", "Mem total", -1, 132_178_760L * 1024, new Provenance("description.txt", 16, 16, "", "", "free")),
                mi("Cached", 34_183_672, 19, ""), mi("Slab", 67_326_708, 21, ""), mi("SReclaimable", 1_737_252, 22, ""));
        Sink sink = new Sink();
        List<Fact> out = DerivedCounters.add(in, sink);
        List<MemCounter> su = current(out, "SUnreclaim");
        assertEquals(1, su.size(), out.toString());
        assertEquals((67_326_708L - 1_737_252L) * 1024, su.get(0).bytes());
        assertEquals("description.txt:21-22", su.get(0).provenance().cite());
        assertTrue(su.get(0).describe().contains("derived: Slab - SReclaimable"), su.get(0).describe());
        // the 123,340 kB line belongs with the first Slab reading
        assertTrue(out.stream().anyMatch(f -> f instanceof MemCounter m && m.name().equals("SUnreclaim") && m.snapshot().equals("t1")
                && m.bytes() == 123_340L * 1024));
        // no MemTotal pasted: free's Mem total stands for it
        assertEquals(132_178_760L * 1024, current(out, "MemTotal").get(0).bytes());
    }

    @Test void aWholeMeminfoIsLeftAsItIs() {
        List<Fact> in = List.of(mi("MemTotal", 8_000_000, 1, ""), mi("Slab", 300, 20, ""), mi("SReclaimable", 100, 21, ""),
                mi("SUnreclaim", 200, 22, ""));
        assertEquals(in, DerivedCounters.add(in, new Sink()));
    }
}
