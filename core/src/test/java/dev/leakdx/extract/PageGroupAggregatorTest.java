package dev.leakdx.extract;

import dev.leakdx.extract.PageGroupAggregator.Acc;
import dev.leakdx.facts.PageGroup;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Real lab-pfrag rows added up into groups: keys, counts, node/zone values, examples, the group limit. */
class PageGroupAggregatorTest {
    private static final long MASK = (1L << 28) - 1;

    private static PageRow row(String line) {
        PageRow r = new PageRow();
        new KmemMRows(new PageTableColumns(PageTableRows.KMEM_M, PageTableRows.KMEM_M), PageTableRows.words()).read(RowBytes.tokens(line), r);
        return r;
    }

    @Test
    void rowsOfOneKeyAddUp() {
        Sink sink = new Sink();
        PageGroupAggregator g = new PageGroupAggregator(PageTableRows.kmemM(), sink, 200_000, 3);
        // kmem-m.txt.xz lines 4164, 4165 and 4537: slab pages of two caches, taken off their lists
        String[] slab = {PageTableRows.M_POISON1,
                "fffff53480041080  dead000000000100  000fffffc0000200  ffff8ee241042000  -1  00000001",
                "fffff53480046d80  dead000000000100  000fffffc0000200  ffff8ee241045b00  -1  00000001"};
        long[] lines = {4164, 4165, 4537};
        Acc first = null;
        for (int i = 0; i < slab.length; i++) {
            PageRow r = row(slab[i]);
            Acc a = g.group(r, MASK, lines[i]);
            if (first == null) first = a;
            assertSame(first, a, "the kmem_cache pointer is not in the key");
            g.add(a, r.page, r.high(MASK), r.count, lines[i]);
        }
        PageRow reserved = row(PageTableRows.M_RESERVED);
        g.add(g.group(reserved, MASK, 3), reserved.page, reserved.high(MASK), 1, 3);
        assertEquals(2, g.size());
        g.emit("kmem -m");
        List<PageGroup> facts = PageTableRows.groups(sink);
        PageGroup p = facts.get(0);
        assertEquals("LIST_POISON1", p.lruClass());
        assertEquals(0xdead000000000100L, p.lruValue());
        assertEquals(0x200, p.pageFlags(), "PG_slab");
        assertEquals("POINTER", p.mappingClass());
        assertEquals(0, p.mappingValue());
        assertEquals(-1, p.mapcount());
        assertEquals(1, p.refcount());
        assertEquals(3, p.pages());
        assertEquals(0, p.tailPages());
        assertEquals(Map.of(0x000fffffc0000000L, 3L), p.highBits(), "one node/zone value");
        assertEquals(List.of(0xfffff53480041040L, 0xfffff53480041080L, 0xfffff53480046d80L), p.examples(), "the first three");
        assertEquals(List.of(4164L, 4165L, 4537L), p.exampleLines());
        assertEquals("kmem.txt:4164-4537", p.provenance().cite());
        assertEquals("SELF", facts.get(1).lruClass());
        assertEquals(0x1000, facts.get(1).pageFlags(), "PG_reserved");
    }

    @Test
    void pastTheLimitNewKeysPoolAsOverflow() {
        Sink sink = new Sink();
        PageGroupAggregator g = new PageGroupAggregator(PageTableRows.kmemM(), sink, 1, 3);
        PageRow a = row(PageTableRows.M_POISON1), b = row(PageTableRows.M_RESERVED), c = row(PageTableRows.M_ANON);
        g.add(g.group(a, MASK, 1), a.page, a.high(MASK), 1, 1);
        g.add(g.group(b, MASK, 2), b.page, b.high(MASK), 1, 2);
        g.add(g.group(c, MASK, 3), c.page, c.high(MASK), 1, 3);
        g.emit("kmem -m");
        List<PageGroup> facts = PageTableRows.groups(sink);
        assertEquals(2, facts.size());
        assertEquals("OVERFLOW", facts.get(1).lruClass());
        assertEquals(2, facts.get(1).pages());
        assertEquals(1, sink.diagnostics().size());
        assertEquals("more than 1 distinct page groups; further groups are pooled as OVERFLOW", sink.diagnostics().get(0).message());
        assertEquals(2, sink.diagnostics().get(0).line());
    }

    @Test
    void aChunkGroupMergesWithItsLinesOffset() {
        Sink sink = new Sink();
        PageGroupAggregator g = new PageGroupAggregator(PageTableRows.kmemM(), sink, 200_000, 3);
        PageRow r = row(PageTableRows.M_PFRAG_HEAD_AND_TAILS.get(0));
        Acc cg = new Acc(r.lruCode, r.keyLru(), r.keyFlags(MASK), r.mapCode, r.keyMap(), r.mapcount, r.refcount, PageRow.NO_OTHERS, null);
        cg.pages = 2;
        cg.tails = 14;
        cg.firstLine = 1;
        cg.lastLine = 9;
        cg.high.add(r.high(MASK), 2, Integer.MAX_VALUE);
        cg.events = new long[] {0xfffff534800c1600L, 1, 0xfffff534800c1800L, 9};
        cg.nEvents = 2;
        Acc fileGroup = g.merge(cg, 26);
        assertSame(fileGroup, cg.merged);
        g.emit("kmem -m");
        PageGroup p = PageTableRows.groups(sink).get(0);
        assertEquals(2, p.pages());
        assertEquals(14, p.tailPages());
        assertEquals(16, p.totalPages());
        assertEquals(3, p.order(), "order-3 page_frag pages");
        assertEquals(List.of(0xfffff534800c1600L, 0xfffff534800c1800L), p.examples());
        assertEquals(List.of(27L, 35L), p.exampleLines(), "as in kmem-m-pfrag-excerpt.txt");
        assertEquals(0x8000, p.refcount());
    }
}
