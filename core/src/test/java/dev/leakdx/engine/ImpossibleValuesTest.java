package dev.leakdx.engine;

import dev.leakdx.extract.Sink;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.Provenance;
import dev.leakdx.facts.SlabCache;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Impossible values are diagnostics with file:line, never facts the rules use. */
class ImpossibleValuesTest {
    static Provenance at(String file, long line) { return new Provenance(file, line, line, "", "", ""); }

    @Test void moreActiveObjectsThanObjectsAndACounterAboveMemTotalAreSetAside() {
        MemCounter total = new MemCounter("meminfo", "MemTotal", -1, 1_995_720L * 1024, at("proc/meminfo", 1));
        MemCounter bad = new MemCounter("meminfo", "SUnreclaim", -1, 9_000_000L * 1024, at("proc/meminfo", 27));
        MemCounter vmallocTotal = new MemCounter("meminfo", "VmallocTotal", -1, 34_359_738_367L * 1024, at("proc/meminfo", 36));
        SlabCache garbled = new SlabCache("kmalloc-64", 5000, 4096, 64, 64, 1, 64, 64, "slabinfo", at("proc/slabinfo", 40));
        SlabCache fine = new SlabCache("kmalloc-128", 4000, 4096, 128, 32, 1, 128, 128, "slabinfo", at("proc/slabinfo", 41));
        Sink sink = new Sink();
        List<Fact> kept = ImpossibleValues.setAside(List.of(total, bad, vmallocTotal, garbled, fine), sink);
        assertEquals(List.of(total, vmallocTotal, fine), kept, "address space may exceed RAM; the impossible rows may not");
        assertEquals(2, sink.diagnostics().size());
        String all = sink.diagnostics().toString();
        assertTrue(all.contains("proc/slabinfo") && all.contains("5,000 active objects of 4,096"), all);
        assertTrue(all.contains("proc/meminfo") && all.contains("SUnreclaim 8.58 GiB is above MemTotal 1.9 GiB"), all);
    }
}
