package dev.leakdx.extract;

import dev.leakdx.facts.PageGroup;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real kmem -m rows of lab-pfrag through the three routes of KmemMRows: all give the same row. */
class KmemMRowsTest {
    private final PageWordClassifier words = PageTableRows.words();

    private KmemMRows rows(String command) {
        return new KmemMRows(new PageTableColumns(Section.baseOf(command), command), words);
    }

    private static PageRow byTokens(KmemMRows m, String line) {
        PageRow r = new PageRow();
        m.read(RowBytes.tokens(line), r);
        return r;
    }

    private static PageRow byTokenBytes(KmemMRows m, String line) {
        byte[] b = line.getBytes(StandardCharsets.US_ASCII);
        RowBytes.Scan sc = new RowBytes.Scan(8);
        RowBytes.scan(b, 0, b.length, sc);
        PageRow r = new PageRow();
        assertTrue(m.fastHead(b, sc, r), line);
        assertTrue(m.fastRest(b, sc, r), line);
        return r;
    }

    private static PageRow byLayout(KmemMRows m, PageTableColumns cols, String line) {
        byte[] b = (line + "\n").getBytes(StandardCharsets.US_ASCII);
        int[] kinds = cols.layout();
        long[] vals = new long[kinds.length + 1];
        int[] at = new int[kinds.length + 1];
        assertEquals(b.length, KmemMRows.layoutRow(b, 0, b.length, kinds, cols.iLru, vals, at), "the next line's start");
        PageRow r = new PageRow();
        r.lruValue = vals[1 + cols.iLru];
        r.lruCode = PageTableRows.words().lruCode(r.lruValue, vals[0]);
        assertTrue(m.layoutColumns(b, kinds, vals, at));
        m.layoutInto(vals, r);
        return r;
    }

    private static String describe(PageRow r) {
        return r.page + " " + r.lruCode + "/" + r.lruValue + " " + r.hasFlags + "/" + r.flags + " " + r.mapCode + "/" + r.mapValue + " "
                + r.mapcount + " " + r.refcount + " " + r.count + " " + r.others + " " + r.bad;
    }

    @Test
    void aLeakedPageFragHeadByEveryRoute() {
        PageTableColumns cols = new PageTableColumns(PageTableRows.KMEM_M, PageTableRows.KMEM_M);
        KmemMRows m = new KmemMRows(cols, words);
        String head = PageTableRows.M_PFRAG_HEAD_AND_TAILS.get(0);
        PageRow r = byTokens(m, head);
        assertEquals(0xfffff534800c1600L, r.page);
        assertEquals(PageWordClassifier.LRU_ZERO, r.lruCode);
        assertEquals(0x000fffffc0010000L, r.flags);
        assertEquals(0x10000L, r.keyFlags((1L << 28) - 1), "PG_head; the node/zone bits go to high()");
        assertEquals(0x000fffffc0000000L, r.high((1L << 28) - 1), "node/zone/section bits");
        assertEquals(PageWordClassifier.MAP_NULL, r.mapCode);
        assertEquals(-1, r.mapcount);
        assertEquals(0x8000, r.refcount);
        assertEquals(1, r.count);
        assertFalse(r.tail());
        assertEquals(describe(r), describe(byTokenBytes(m, head)));
        assertEquals(describe(r), describe(byLayout(m, cols, head)));
    }

    @Test
    void tailsAndOtherRealRowsAgreeAcrossRoutes() {
        PageTableColumns cols = new PageTableColumns(PageTableRows.KMEM_M, PageTableRows.KMEM_M);
        KmemMRows m = new KmemMRows(cols, words);
        for (String line : new String[] {PageTableRows.M_RESERVED, PageTableRows.M_POISON1, PageTableRows.M_ANON,
                PageTableRows.M_PFRAG_HEAD_AND_TAILS.get(1), PageTableRows.M_PFRAG_HEAD_AND_TAILS.get(2)}) {
            String ref = describe(byTokens(m, line));
            assertEquals(ref, describe(byTokenBytes(m, line)), line);
            assertEquals(ref, describe(byLayout(m, cols, line)), line);
        }
        PageRow tail = byTokens(m, PageTableRows.M_PFRAG_HEAD_AND_TAILS.get(2));
        assertTrue(tail.tail());
        assertEquals(0xfffff534800c1601L, tail.lruValue, "compound_head | 1");
        assertEquals(0, tail.keyLru(), "a tail's head address is not part of the key");
        assertEquals(PageWordClassifier.MAP_POISON, tail.mapCode);
        assertEquals(0xdead000000000400L, tail.keyMap(), "TAIL_MAPPING stays in the key");
        PageRow anon = byTokens(m, PageTableRows.M_ANON);
        assertEquals(PageWordClassifier.MAP_ANON, anon.mapCode);
        assertEquals(0, anon.mapcount, "mapped once");
        assertEquals(PageWordClassifier.LRU_POINTER, anon.lruCode);
    }

    @Test
    void gluedRefcountIsSplit() {
        KmemMRows m = rows(PageTableRows.M_GLUED_COMMAND);
        PageRow r = byTokens(m, PageTableRows.M_GLUED);
        assertEquals(0xfffff534800c1400L, r.page);
        assertEquals(0, r.refcount, "00000000 glued to flags");
        assertEquals(0x000fffffc0000000L, r.flags);
        assertEquals(PageWordClassifier.MAP_NULL, r.mapCode);
        assertEquals(-1, r.mapcount);
        assertEquals(PageWordClassifier.LRU_POINTER, r.lruCode);
        assertEquals(0xfffff534800bfa08L, r.lruValue);
    }

    @Test
    void countedExcerptRows() {
        PageRow uniq = byTokens(rows(PageTableRows.M_GROUPED_COMMAND), PageTableRows.M_UNIQ_C);
        assertEquals(453795, uniq.count);
        assertEquals(-1, uniq.page, "no PAGE column");
        assertEquals(0x000fffffc0000000L, uniq.flags);
        assertEquals(0, uniq.refcount);
        PageRow awk = byTokens(rows(PageTableRows.M_AWK_COMMAND), PageTableRows.M_AWK);
        assertEquals(453795, awk.count);
        assertEquals(describe(uniq), describe(awk), "the same group, count first or last");
    }

    @Test
    void badColumnsAfterLruNextMarkTheRowNotTheTail() {
        KmemMRows m = rows(PageTableRows.KMEM_M);
        PageRow r = byTokens(m, "fffff534800c1640  fffff534800c1601  000fffffc00zz000  0000000800000000  -1  00000000");
        assertTrue(r.tail(), "lru.next read: the tail can still be counted with its head");
        assertTrue(r.bad);
        assertThrows(IllegalArgumentException.class, () -> byTokens(m, "fffff534800c1640  fffff534800c1601"));
        assertEquals(Map.of(), r.others);
        assertEquals(PageGroup.ABSENT, new PageRow().mapcount);
    }
}
