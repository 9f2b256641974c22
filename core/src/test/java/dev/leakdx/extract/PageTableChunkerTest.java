package dev.leakdx.extract;

import dev.leakdx.facts.PageGroup;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 200 rows of samples/kmem-m-pfrag-excerpt.txt (lab-pfrag's real table, rows 12355-12554: 22
 * leaked order-3 page_frag heads with 7 tails each, among slab and free pages) read in two chunks
 * cut at every row, merged in file order: the same facts as line by line, whichever row the cut
 * falls on (a head at the end of the first chunk, its tails at the start of the second).
 */
class PageTableChunkerTest {
    private static final List<String> LINES = Samples.text("kmem-m-pfrag-excerpt.txt").lines().toList();
    /** Lines 3-202: the rows after the command and crash's header. */
    private static final List<String> ROWS = LINES.subList(2, LINES.size());

    /** Lines 1-2 in order, then the rows in two chunks cut before row {@code cut}. */
    private static Sink inTwoChunks(int cut) {
        Sink sink = new Sink();
        PageTableReader reader = new PageTableReader(PageTableRows.kmemM(), sink);
        reader.line(1, LINES.get(0));
        reader.line(2, LINES.get(1));
        assertTrue(reader.chunkable());
        byte[] first = PageTableRows.bytes(ROWS.subList(0, cut)), second = PageTableRows.bytes(ROWS.subList(cut, ROWS.size()));
        PageTableChunk a = reader.chunk(first, 0, cut == 0 ? 0 : first.length), b = reader.chunk(second, 0, second.length);
        assertEquals(-1, a.stopAt);
        assertEquals(cut, a.lines);
        assertTrue(reader.mergeable(a));
        reader.merge(a, 2);
        assertTrue(reader.mergeable(b));
        reader.merge(b, 2 + a.lines);
        reader.end(LINES.size());
        return sink;
    }

    @Test
    void twoChunksGiveWhatLineByLineGives() {
        Sink reference = PageTableRows.readLines(PageTableRows.kmemM(), LINES);
        PageGroup leaked = PageTableRows.groups(reference).stream().filter(g -> g.refcount() == 0x8000).findFirst().orElseThrow();
        assertEquals(22, leaked.pages());
        assertEquals(154, leaked.tailPages());
        assertEquals("kmem.txt:27-195", leaked.provenance().cite());
        for (int cut = 0; cut < ROWS.size(); cut++)
            assertEquals(PageTableRows.signatures(reference), PageTableRows.signatures(inTwoChunks(cut)), "cut before row " + (cut + 3));
    }

    @Test
    void leadingTailsWaitForTheHeadBeforeTheChunk() {
        // cut after the head of line 27: its 7 tails (lines 28-34) lead the second chunk
        Sink sink = new Sink();
        PageTableReader reader = new PageTableReader(PageTableRows.kmemM(), sink);
        byte[] first = PageTableRows.bytes(ROWS.subList(0, 25)), second = PageTableRows.bytes(ROWS.subList(25, 40));
        PageTableChunk a = reader.chunk(first, 0, first.length), b = reader.chunk(second, 0, second.length);
        assertEquals(7, b.heads.pending.stream().mapToLong(p -> p.pages).sum(), "7 tails before any head of the chunk");
        assertEquals(List.of(0xfffff534800c1601L, 0xfffff534800c1601L), b.heads.pendingLru, "lines 28 (compound_nr) and 29-34 (TAIL_MAPPING)");
        reader.merge(a, 2);
        reader.merge(b, 27);
        reader.end(42);
        PageGroup leaked = PageTableRows.groups(sink).stream().filter(g -> g.refcount() == 0x8000).findFirst().orElseThrow();
        assertEquals(2, leaked.pages(), "heads of lines 27 and 35");
        assertEquals(14, leaked.tailPages(), "the leading tails went to the head before the chunk");
        assertEquals(List.of(27L, 35L), leaked.exampleLines());
    }

    @Test
    void tailsOfTwoMissingHeadsAreReadInOrder() {
        // lines 28-34 and 36-42 without their heads (27, 35): two heads' tails would land in one group
        Sink sink = new Sink();
        PageTableReader reader = new PageTableReader(PageTableRows.kmemM(), sink);
        List<String> rows = new java.util.ArrayList<>(ROWS.subList(25, 32));
        rows.addAll(ROWS.subList(33, 40));
        byte[] b = PageTableRows.bytes(rows);
        PageTableChunk c = reader.chunk(b, 0, b.length);
        assertEquals(14, c.lines);
        assertFalse(reader.mergeable(c), "the row order decides which tails pool into which group");
    }

    @Test
    void aLineThatIsNotARowStopsTheChunk() {
        PageTableReader reader = new PageTableReader(PageTableRows.kmemM(), new Sink());
        List<String> rows = List.of(ROWS.get(24), ROWS.get(25), "crash> kmem -i", ROWS.get(26));
        byte[] b = PageTableRows.bytes(rows);
        PageTableChunk c = reader.chunk(b, 0, b.length);
        assertEquals(2, c.lines);
        assertEquals((ROWS.get(24) + "\n" + ROWS.get(25) + "\n").getBytes(StandardCharsets.US_ASCII).length, c.stopAt);
        assertEquals(1, c.order.size(), "the head's group");
        assertEquals(1, c.order.get(0).tails, "the tail after it");
    }
}
