package dev.leakdx.extract;

import dev.leakdx.facts.PageGroup;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real kmem -p rows (lab-pfrag, case 2) by tokens and by bytes. */
class KmemPRowsTest {
    private final KmemPRows p = new KmemPRows(PageTableRows.words());

    private PageRow byBytes(String line) {
        byte[] b = line.getBytes(StandardCharsets.US_ASCII);
        RowBytes.Scan sc = new RowBytes.Scan(9);
        RowBytes.scan(b, 0, b.length, sc);
        PageRow r = new PageRow();
        assertTrue(p.fast(b, sc, r), line);
        return r;
    }

    @Test
    void anOrderOneSlabHead() {
        PageRow r = new PageRow();
        p.read(RowBytes.tokens(PageTableRows.P_SLAB_HEAD), r);
        assertTrue(r.kmemP);
        assertEquals(0xfffff53480041380L, r.page);
        assertEquals(0x104e000L, r.phys);
        assertEquals(PageWordClassifier.MAP_POINTER, r.mapCode, "the slab's kmem_cache");
        assertEquals(0xffff8ee241042a00L, r.mapValue);
        assertEquals(1, r.refcount, "CNT");
        assertEquals(0xfffffc0010200L, r.flags);
        assertEquals(PageWordClassifier.LRU_NONE, r.lruCode, "kmem -p has no lru.next");
        assertEquals(PageGroup.ABSENT, r.mapcount);
        assertEquals(Map.of("names", "slab,head"), r.others);

        PageRow fast = byBytes(PageTableRows.P_SLAB_HEAD);
        assertEquals("slab,head", fast.names, "the byte route keeps the names apart from others");
        assertEquals(Map.of(), fast.others);
        assertEquals(r.page, fast.page);
        assertEquals(r.phys, fast.phys);
        assertEquals(r.mapValue, fast.mapValue);
        assertEquals(r.flags, fast.flags);
        assertEquals(r.refcount, fast.refcount);
    }

    @Test
    void rowsWithoutNamesAndWithDashes() {
        PageRow r = byBytes(PageTableRows.P_NO_NAMES);
        assertEquals(0xffff7fe000000040L, r.page);
        assertEquals(0x10000L, r.phys, "64 KiB pages");
        assertEquals(PageWordClassifier.MAP_NULL, r.mapCode);
        assertNull(r.names);
        assertEquals(0x7ffff8000000000L, r.flags);

        // crash prints dashes for a MAPPING it could not read
        PageRow d = new PageRow();
        p.read(RowBytes.tokens("fffff53480000000        0 -------------    -----  1 7ffffc0001000 reserved"), d);
        assertEquals(PageWordClassifier.MAP_INVALID, d.mapCode);
        assertEquals(0, d.mapValue);
        PageRow db = byBytes("fffff53480000000        0 -------------    -----  1 7ffffc0001000 reserved");
        assertEquals(PageWordClassifier.MAP_INVALID, db.mapCode);

        assertThrows(IllegalArgumentException.class, () -> p.read(RowBytes.tokens("fffff53480000000        0"), new PageRow()));
        byte[] b = "fffff53480000000  0  0  0  one  7ffffc0001000".getBytes(StandardCharsets.US_ASCII);
        RowBytes.Scan sc = new RowBytes.Scan(9);
        RowBytes.scan(b, 0, b.length, sc);
        assertFalse(p.fast(b, sc, new PageRow()), "CNT not a number: the String route decides");
    }
}
