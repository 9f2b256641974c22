package dev.leakdx.extract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakdx.extract.PageGroupAggregator.Acc;

/**
 * The section reader of crash page tables ({@code kmem -m MEMBERS}, {@code kmem -p}) and of the
 * pre-aggregated excerpts analysts make of them (rows with a leading or trailing count, from
 * {@code uniq -c} or awk): rows become {@link dev.leakdx.facts.PageGroup}s in one pass, memory
 * growing with the groups, never with the rows (KERNEL-NOTES §3 for the formats).
 *
 * <p>It only wires the steps of the data path together, each a class of its own:
 * <ol>
 *   <li>{@link PageTableColumns}: what the columns are (command, header, excerpt);</li>
 *   <li>{@link KmemMRows} / {@link KmemPRows}: a line into a {@link PageRow}, with its struct
 *       page words classified by {@link PageWordClassifier};</li>
 *   <li>{@link CompoundPageAttributor}: compound tails counted with their head;</li>
 *   <li>{@link PageGroupAggregator}: rows added up into groups, facts in file order;</li>
 *   <li>{@link PageStrides}: struct page size and page size from the first rows;</li>
 *   <li>{@link PageTableChunker}: big tables read in chunks on several cores and merged in file
 *       order, with the same facts as line by line ({@link #line}).</li>
 * </ol>
 */
final class PageTableReader implements SectionReader {
    private final Section section;
    private final Sink sink;
    private final long pageFlagMask;
    private final PageTableColumns cols;
    private final KmemMRows mRows;
    private final KmemPRows pRows;
    private final PageGroupAggregator groups;
    private final CompoundPageAttributor heads = new CompoundPageAttributor();
    private final PageStrides strides;
    private final PageTableChunker chunker;

    PageTableReader(Section section, Sink sink) {
        this.section = section;
        this.sink = sink;
        JsonNode o = section.spec().options();
        PageWordClassifier words = PageWordClassifier.fromOptions(o);
        int bits = o.path("pageflag_bits").asInt(28);
        this.pageFlagMask = bits >= 64 ? -1L : (1L << bits) - 1;
        this.groups = new PageGroupAggregator(section, sink, o.path("max_groups").asInt(200_000), o.path("examples").asInt(3));
        this.strides = new PageStrides(section.rowsReordered());
        this.cols = new PageTableColumns(section.baseCommand(), section.command());
        this.mRows = new KmemMRows(cols, words);
        this.pRows = new KmemPRows(words);
        this.chunker = new PageTableChunker(cols, words, mRows, pRows, pageFlagMask, groups, heads, strides, sink, section);
    }

    @Override public void line(long no, String text) {
        String[] tok = RowBytes.tokens(text);
        if (tok.length == 0) return;
        // rows start with a hex number (PAGE, or lru.next in excerpts) or a count; only other lines can be headers
        if (!RowBytes.isNumber(tok[0]) && cols.isHeader(tok)) return;
        if (!cols.known()) {
            sink.skipped(section.file(), no, text);
            return;
        }
        PageRow r = new PageRow();
        try {
            if (cols.isKmemP()) pRows.read(tok, r); else mRows.read(tok, r);
        } catch (RuntimeException e) {
            sink.skipped(section.file(), no, text);
            return;
        }
        accept(r, no, text);
    }

    /** Adds a row to the file's groups, in file order. */
    private void accept(PageRow r, long no, String text) {
        if (!r.kmemP && r.tail() && r.page != -1 && heads.ownedByLastHead(r.lruValue)) {
            heads.addTails(r.count);
            strides.track(r.page, -1, no);
            return;
        }
        if (r.bad) {
            sink.skipped(section.file(), no, text);
            return;
        }
        Acc g = groups.group(r, pageFlagMask, no);
        groups.add(g, r.page, r.high(pageFlagMask), r.count, no);
        if (!r.kmemP && !r.tail()) heads.head(r.page, g);
        strides.track(r.page, r.kmemP ? r.phys : -1, no);
    }

    @Override public void end(long lastLine) {
        groups.emit(cols.table());
        strides.emit(sink, section);
    }

    // ------------------------------------------------------------------------------------------------
    // Chunks: the rows of a big table read in parallel, merged in file order (PageTableChunker).

    /**
     * True when rows can be read in chunks: the columns are known, so a row's meaning no longer
     * depends on the lines before it (a line that could change that, anything not starting with
     * a number, ends a chunk and is read in order).
     */
    boolean chunkable() { return cols.known(); }

    /** See {@link PageTableChunker#chunk}; thread-safe. */
    PageTableChunk chunk(byte[] buf, int from, int to) { return chunker.chunk(buf, from, to); }

    /** See {@link PageTableChunker#mergeable}. */
    boolean mergeable(PageTableChunk c) { return chunker.mergeable(c); }

    /** See {@link PageTableChunker#merge}. */
    void merge(PageTableChunk c, long base) { chunker.merge(c, base); }
}
