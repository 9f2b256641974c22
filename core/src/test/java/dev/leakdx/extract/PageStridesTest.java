package dev.leakdx.extract;

import dev.leakdx.facts.HostFact;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Struct page size, page size and mem_map's base from the first rows of lab-pfrag's kmem -p. */
class PageStridesTest {
    @Test
    void firstRowsOfKmemP() {
        PageStrides s = new PageStrides(false);
        // kmem-p.txt.xz lines 3-5: PAGE 0x40 apart, PHYSICAL 0x1000 apart, the first at physical 0
        s.track(0xfffff53480000000L, 0x0, 3);
        s.track(0xfffff53480000040L, 0x1000, 4);
        s.track(0xfffff53480000080L, 0x2000, 5);
        Sink sink = new Sink();
        s.emit(sink, PageTableRows.kmemP());
        List<HostFact> f = PageTableRows.hostFacts(sink);
        assertEquals(3, f.size());
        assertEquals("struct_page_size", f.get(0).key());
        assertEquals("64", f.get(0).value());
        assertEquals("kmem.txt:3-4", f.get(0).provenance().cite());
        assertEquals("page_size", f.get(1).key());
        assertEquals("4096", f.get(1).value());
        assertEquals("mem_map_base", f.get(2).key());
        assertEquals("0xfffff53480000000", f.get(2).value());
    }

    @Test
    void aChunksSampleReplaysAsItsRows() {
        PageStrides direct = new PageStrides(false), replayed = new PageStrides(false);
        PageStrides.Sample sample = new PageStrides.Sample();
        long page = 0xfffff534800c1600L;
        for (int i = 0; i < 8; i++) {
            direct.track(page + 0x40L * i, -1, 27 + i);
            sample.add(page + 0x40L * i, -1, 1 + i);
        }
        sample.add(-1, -1, 9); // a row without PAGE is not tracked
        assertEquals(8, sample.tracked);
        replayed.replay(sample, 26);
        Sink a = new Sink(), b = new Sink();
        direct.emit(a, PageTableRows.kmemM());
        replayed.emit(b, PageTableRows.kmemM());
        assertEquals(PageTableRows.signatures(a), PageTableRows.signatures(b));
        assertEquals("64", PageTableRows.hostFacts(b).get(0).value());
        assertEquals("kmem.txt:27-28", PageTableRows.hostFacts(b).get(0).provenance().cite());
    }

    @Test
    void reorderedRowsAndMixedStridesSayNothing() {
        PageStrides sorted = new PageStrides(true);
        sorted.track(0xfffff53480000000L, 0, 1);
        sorted.track(0xfffff53480000040L, 0x1000, 2);
        sorted.track(0xfffff53480000080L, 0x2000, 3);
        Sink sink = new Sink();
        sorted.emit(sink, PageTableRows.kmemP());
        assertEquals(List.of(), sink.facts());
        assertNull(PageStrides.dominant(Map.of(0x40L, 1L, 0x80L, 1L)), "no majority");
        assertNull(PageStrides.dominant(Map.of(0x40L, 1L)), "one stride is not enough");
        assertEquals(0x40L, PageStrides.dominant(Map.of(0x40L, 5L, 0x1000L, 1L)));
    }
}
