package dev.leakdx.extract;

import dev.leakdx.extract.PageGroupAggregator.Acc;
import dev.leakdx.facts.PageGroup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab-pfrag order-3 page_frag head and its 7 tails: the tails go to the head, in order and in chunks. */
class CompoundPageAttributorTest {
    private static final long HEAD = 0xfffff534800c1600L;

    @Test
    void tailsOfTheLastHeadAreItsOwn() {
        CompoundPageAttributor a = new CompoundPageAttributor();
        assertFalse(a.seenHead());
        assertFalse(a.ownedByLastHead(HEAD | 1), "no head read yet");
        Acc head = new Acc(PageWordClassifier.LRU_ZERO, 0, 0x10000, PageWordClassifier.MAP_NULL, 0, -1, 0x8000, PageRow.NO_OTHERS, null);
        a.head(HEAD, head);
        assertTrue(a.seenHead());
        assertTrue(a.ownedByLastHead(0xfffff534800c1601L));
        assertFalse(a.ownedByLastHead(0xfffff534800c1801L), "the next head's tails");
        assertFalse(a.ownedByLastHead(HEAD), "lru.next of the head itself is not head|1");
        for (int i = 0; i < 7; i++) a.addTails(1);
        assertEquals(7, head.tails);
    }

    @Test
    void aChunksLeadingTailsWaitPerHead() {
        KmemMRows m = new KmemMRows(new PageTableColumns(PageTableRows.KMEM_M, PageTableRows.KMEM_M), PageTableRows.words());
        CompoundPageAttributor chunk = new CompoundPageAttributor();
        long mask = (1L << 28) - 1;
        List<String> tails = PageTableRows.M_PFRAG_HEAD_AND_TAILS.subList(2, 8); // six tails with TAIL_MAPPING: one key
        Acc first = null;
        for (String t : tails) {
            PageRow r = new PageRow();
            m.read(RowBytes.tokens(t), r);
            Acc p = chunk.pending(r, mask);
            if (first == null) first = p;
            assertSame(first, p, "the tails of one head come in a run: one pending group");
            p.pages++;
        }
        // a tail of another head with the same columns is apart: it may belong to a different group
        PageRow other = new PageRow();
        m.read(RowBytes.tokens("fffff534800c1880  fffff534800c1801  000fffffc0000000  dead000000000400  -1  00000000"), other);
        Acc o = chunk.pending(other, mask);
        assertFalse(o == first);
        assertEquals(List.of(0xfffff534800c1601L, 0xfffff534800c1801L), chunk.pendingLru);
        assertEquals(6, chunk.pending.get(0).pages);
        assertEquals("TAIL|0|0|POISON|" + 0xdead000000000400L + "|-1|0|{}", first.key());

        // after the merge the file's last head is the chunk's, in the file's groups
        CompoundPageAttributor file = new CompoundPageAttributor();
        Acc chunkHead = new Acc(PageWordClassifier.LRU_ZERO, 0, 0x10000, PageWordClassifier.MAP_NULL, 0, -1, 0x8000, PageRow.NO_OTHERS, null);
        chunkHead.merged = new Acc(PageWordClassifier.LRU_ZERO, 0, 0x10000, PageWordClassifier.MAP_NULL, 0, -1, 0x8000, PageRow.NO_OTHERS, null);
        file.continueFrom(chunk);
        assertFalse(file.ownedByLastHead(HEAD | 1), "the chunk saw no head: nothing changes");
        chunk.head(HEAD, chunkHead);
        file.continueFrom(chunk);
        assertTrue(file.ownedByLastHead(HEAD | 1));
        file.addTails(3);
        assertEquals(3, chunkHead.merged.tails);
        assertEquals(0, chunkHead.tails);
        assertEquals(PageGroup.ABSENT, new PageRow().mapcount);
    }
}
