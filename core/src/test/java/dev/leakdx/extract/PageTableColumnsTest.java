package dev.leakdx.extract;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The columns of the lab tables and of the analysts' excerpts of them (samples/kmem-m-*.txt). */
class PageTableColumnsTest {
    @Test
    void membersFromTheCommand() {
        PageTableColumns c = new PageTableColumns(PageTableRows.KMEM_M, PageTableRows.KMEM_M);
        assertTrue(c.known());
        assertFalse(c.isKmemP());
        assertEquals("kmem -m", c.table());
        assertEquals(List.of("lru.next", "flags", "mapping", "_mapcount", "_refcount"), c.members);
        assertEquals(0, c.iLru);
        assertEquals(1, c.iFlags);
        assertEquals(2, c.iMapping);
        assertEquals(3, c.iMapcount);
        assertEquals(4, c.iRefcount);
        assertEquals(0, c.iOthers.length);
        assertTrue(c.hasPageColumn);
        // crash's exact layout: three %016lx, a %d, _refcount last as %08x
        assertArrayEquals(new int[] {PageTableColumns.COL_HEX16, PageTableColumns.COL_HEX16, PageTableColumns.COL_HEX16,
                PageTableColumns.COL_DEC, PageTableColumns.COL_HEX8}, c.layout());
        assertEquals(List.of("lru.next"), PageTableColumns.membersFromCommand("kmem -m lru.next"));
        assertNull(PageTableColumns.membersFromCommand("kmem -p"));
    }

    @Test
    void gluedRefcountHasNoExactLayout() {
        PageTableColumns c = new PageTableColumns(PageTableRows.M_GLUED_COMMAND, PageTableRows.M_GLUED_COMMAND);
        assertEquals(0, c.iRefcount);
        assertEquals(4, c.iLru);
        assertNull(c.layout(), "_refcount not last: glued to flags, only the token route splits it");
    }

    @Test
    void aggregatedExcerptsLoseThePageColumnAndGainACount() {
        PageTableColumns uniq = new PageTableColumns(Section.baseOf(PageTableRows.M_GROUPED_COMMAND), PageTableRows.M_GROUPED_COMMAND);
        assertFalse(uniq.hasPageColumn);
        assertTrue(uniq.countFirst);
        assertEquals(-1, uniq.iLru);
        assertNull(uniq.layout());
        PageTableColumns awk = new PageTableColumns(Section.baseOf(PageTableRows.M_AWK_COMMAND), PageTableRows.M_AWK_COMMAND);
        assertFalse(awk.hasPageColumn);
        assertFalse(awk.countFirst);
    }

    @Test
    void headersSetTheColumns() {
        PageTableColumns p = new PageTableColumns("kmem -p", "kmem -p");
        assertTrue(p.isKmemP());
        assertFalse(p.known(), "kmem -p names no members: the header does");
        assertTrue(p.isHeader(RowBytes.tokens(PageTableRows.KMEM_P_HEADER)));
        assertEquals(PageTableColumns.KMEM_P, p.members);
        assertEquals("kmem -p", p.table());
        assertNull(p.layout());

        // a transcript cut before the command: crash's kmem -m header names the members
        PageTableColumns m = new PageTableColumns("", "");
        assertTrue(m.isHeader(RowBytes.tokens(PageTableRows.KMEM_M_HEADER)));
        assertEquals(List.of("lru.next", "flags", "mapping", "_mapcount", "_refcount"), m.members);
        assertTrue(m.hasPageColumn);

        // a header of member names alone (an excerpt made with awk): the rows have no PAGE column
        PageTableColumns e = new PageTableColumns("", "");
        assertTrue(e.isHeader(RowBytes.tokens("lru.next  flags  mapping  _mapcount  _refcount")));
        assertFalse(e.hasPageColumn);
        assertFalse(e.isHeader(RowBytes.tokens("crash> kmem -i")), "not member names");
    }
}
