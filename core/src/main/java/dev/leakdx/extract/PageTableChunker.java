package dev.leakdx.extract;

import dev.leakdx.extract.PageGroupAggregator.Acc;

import java.nio.charset.StandardCharsets;

import static dev.leakdx.extract.PageTableChunk.OUT_GROUP;
import static dev.leakdx.extract.PageTableChunk.OUT_NONE;
import static dev.leakdx.extract.PageTableChunk.OUT_TAIL;
import static dev.leakdx.extract.PageWordClassifier.LRU_NONE;
import static dev.leakdx.extract.PageWordClassifier.LRU_TAIL;
import static dev.leakdx.extract.RowBytes.LONG_LE;
import static dev.leakdx.extract.RowBytes.hex8;

/**
 * Streams a big page table on several cores: the Extractor hands it blocks of whole lines, each
 * aggregated on its own by {@link #chunk} on a worker thread, then merged in file order by
 * {@link #merge} into the file's groups. A 512 GiB host with 4 KiB pages has 134 M rows; one core
 * parsing them is the bottleneck, and a .gz table decompresses on one core while the other parses.
 *
 * <p>The merge gives exactly what reading the rows one by one gives (same groups, line numbers,
 * examples, strides, skipped lines; ChunkedExtractionTest checks it): a chunk's leading compound
 * tails wait for the head before the chunk, the group limit, the node/zone and example caps and
 * the stride inference are applied at the merge in file order, and a chunk whose merge could not
 * reproduce the row order is refused ({@link #mergeable}) and read line by line instead. A line
 * that is not a row (a prompt, a header) stops the chunk: it may change the columns, so it is
 * read in order.
 *
 * <p>Rows are read the cheapest way that fits: a row equal to the previous one but for PAGE (the
 * tails of a compound page, a run of alike pages) reuses that row's outcome; a row laid out
 * exactly as crash prints it is read eight bytes at a time ({@link KmemMRows#layoutRow}); other
 * plain rows from their tokens' bytes; anything else the String way, as line by line.
 */
final class PageTableChunker {
    private final PageTableColumns cols;
    private final PageWordClassifier words;
    private final KmemMRows mRows;
    private final KmemPRows pRows;
    private final long pageFlagMask;
    private final int maxExamples;
    // the file's side, updated by merge only (the reader's thread)
    private final PageGroupAggregator groups;
    private final CompoundPageAttributor heads;
    private final PageStrides strides;
    private final Sink sink;
    private final Section section;

    PageTableChunker(PageTableColumns cols, PageWordClassifier words, KmemMRows mRows, KmemPRows pRows, long pageFlagMask,
                     PageGroupAggregator groups, CompoundPageAttributor heads, PageStrides strides, Sink sink, Section section) {
        this.cols = cols;
        this.words = words;
        this.mRows = mRows;
        this.pRows = pRows;
        this.pageFlagMask = pageFlagMask;
        this.maxExamples = groups.maxExamples();
        this.groups = groups;
        this.heads = heads;
        this.strides = strides;
        this.sink = sink;
        this.section = section;
    }

    /**
     * Aggregates the lines of {@code buf[from, to)} (whole lines; the last may lack its end) on
     * their own. Stops at the first line that is not a row or blank: that one must be read in
     * file order ({@link PageTableChunk#stopAt}). Thread-safe: touches nothing but the chunk.
     */
    PageTableChunk chunk(byte[] buf, int from, int to) {
        PageTableChunk c = new PageTableChunk();
        RowBytes.Scan sc = new RowBytes.Scan(cols.members.size() + 3);
        PageRow r = new PageRow();
        int[] layout = cols.layout();
        int iLru = cols.iLru, iFlags = cols.iFlags;
        long[] vals = new long[cols.members.size() + 1];
        int[] at = new int[cols.members.size() + 1];
        int pos = from;
        long no = 0;
        // the previous row read by layout: its bytes after PAGE [restAt, restEnd), its lru.next and class, its flags' high bits
        int restAt = -1, restEnd = -1;
        long lru = 0, high = 0;
        int code = LRU_NONE;
        while (pos < to) {
            no++;
            if (restEnd >= 0) {
                // a row that differs from the one before only in PAGE (a run of compound tails, of alike pages):
                // same columns, so the same outcome, decided without reading them again
                int len = restEnd - restAt;
                if (pos + 16 + len <= to && RowBytes.sameBytes(buf, restAt, pos + 16, len)) {
                    long hi = hex8((long) LONG_LE.get(buf, pos)), lo = hex8((long) LONG_LE.get(buf, pos + 8));
                    if ((hi | lo) >= 0 && again(c, hi << 32 | lo, lru, code, high, no)) {
                        restAt = pos + 16;
                        pos += 16 + len;
                        restEnd = pos;
                        continue;
                    }
                }
            }
            int next = layout == null ? -1 : KmemMRows.layoutRow(buf, pos, to, layout, iLru, vals, at);
            if (next >= 0 && layoutAccept(c, r, buf, layout, vals, at, no)) {
                // a row the next may repeat: one that ends with LF (a lone CR might be half of a CRLF)
                boolean lf = buf[next - 1] == '\n';
                restAt = lf ? pos + 16 : -1;
                restEnd = lf ? next : -1;
                lru = iLru >= 0 ? vals[1 + iLru] : 0;
                code = iLru >= 0 ? words.lruCode(lru, vals[0]) : LRU_NONE;
                high = iFlags >= 0 ? vals[1 + iFlags] & ~pageFlagMask : 0;
                pos = next;
                continue;
            }
            restEnd = -1;
            next = RowBytes.scan(buf, pos, to, sc);
            if (!row(c, buf, pos, sc, r, no)) {
                c.stopAt = pos;
                no--;
                break;
            }
            pos = next;
        }
        c.lines = no;
        return c;
    }

    /**
     * Adds a row checked by {@link KmemMRows#layoutRow}: a tail of the head just read is only
     * counted (as line by line), other rows have their columns read now. False when a column is
     * not a plain number: the token route must read the line.
     */
    private boolean layoutAccept(PageTableChunk c, PageRow r, byte[] b, int[] kinds, long[] vals, int[] at, long no) {
        long page = vals[0];
        r.lruValue = 0;
        r.lruCode = LRU_NONE;
        int iLru = cols.iLru;
        if (iLru >= 0) {
            long lru = vals[1 + iLru];
            int code = words.lruCode(lru, page);
            CompoundPageAttributor h = c.heads;
            if (code == LRU_TAIL && h.seenHead() && h.ownedByLastHead(lru)) {
                h.addTails(1);
                c.strides.add(page, -1, no);
                c.outcome = OUT_TAIL;
                return true;
            }
            r.lruValue = lru;
            r.lruCode = code;
        }
        if (!mRows.layoutColumns(b, kinds, vals, at)) return false;
        mRows.layoutInto(vals, r);
        chunkAccept(c, r, no, null);
        return true;
    }

    /**
     * A row equal to the previous one but for PAGE: adds it as that one was added (a tail to the same
     * head, or a page to the same group), if its lru.next class is the same with this PAGE. False:
     * read it in full.
     */
    private boolean again(PageTableChunk c, long page, long lru, int prevCode, long high, long no) {
        int code = cols.iLru >= 0 ? words.lruCode(lru, page) : LRU_NONE;
        if (code != prevCode) return false;
        CompoundPageAttributor h = c.heads;
        if (c.outcome == OUT_TAIL) {
            if (!(h.seenHead() && h.ownedByLastHead(lru))) return false;
            h.addTails(1);
            c.strides.add(page, -1, no);
            return true;
        }
        if (c.outcome != OUT_GROUP) return false;
        Acc g = c.outcomeGroup;
        if (code == LRU_TAIL && (!h.seenHead() || h.ownedByLastHead(lru))) return false;
        add(g, page, high, 1, no);
        if (code != LRU_TAIL) h.head(page, g);
        c.strides.add(page, -1, no);
        return true;
    }

    /** Adds one line to the chunk; false when it is not a row (it stops the chunk). */
    private boolean row(PageTableChunk c, byte[] buf, int pos, RowBytes.Scan sc, PageRow r, long no) {
        boolean kmemP = cols.isKmemP();
        if (sc.ascii) {
            if (sc.nt == 0) return true; // blank
            if (kmemP ? pRows.fast(buf, sc, r) : fastM(c, buf, sc, r, no)) {
                if (r.count > 0) chunkAccept(c, r, no, null);
                return true;
            }
            if (!RowBytes.numberToken(buf, sc.ts[0], sc.te[0])) return false;
        }
        // anything unusual is read the String way, as line by line
        String text = new String(buf, pos, sc.end - pos, StandardCharsets.UTF_8);
        String[] tok = RowBytes.tokens(text);
        if (tok.length == 0) return true;
        if (!RowBytes.isNumber(tok[0])) return false;
        try {
            if (kmemP) pRows.read(tok, r); else mRows.read(tok, r);
            r.names = null;
        } catch (RuntimeException e) {
            c.skipped(no, text);
            return true;
        }
        return chunkAccept(c, r, no, text);
    }

    /** A kmem -m row by its tokens' bytes; a tail of the head just read is counted with it, its other columns unread (count 0). */
    private boolean fastM(PageTableChunk c, byte[] b, RowBytes.Scan sc, PageRow r, long no) {
        if (!mRows.fastHead(b, sc, r)) return false;
        CompoundPageAttributor h = c.heads;
        if (r.lruCode == LRU_TAIL && h.seenHead() && h.ownedByLastHead(r.lruValue)) {
            h.addTails(1);
            c.strides.add(r.page, -1, no);
            r.count = 0;
            return true;
        }
        return mRows.fastRest(b, sc, r);
    }

    /**
     * Adds a row to a chunk: the same steps as line by line ({@link PageTableReader}), with the head
     * before the chunk left open. False when the row can only be read in order (a leading tail
     * whose other columns are bad).
     */
    private boolean chunkAccept(PageTableChunk c, PageRow r, long no, String text) {
        c.outcome = OUT_NONE;
        if (r.kmemP && r.names == null && r.others.size() == 1 && r.others.containsKey("names")) {
            // a kmem -p row read the String way joins the rows of the fast way: one chunk group per key
            r.names = r.others.get("names");
            r.others = PageRow.NO_OTHERS;
        }
        CompoundPageAttributor h = c.heads;
        if (!r.kmemP && r.tail() && r.page != -1) {
            if (!h.seenHead()) {
                // its head, if any, is before the chunk: keep it apart, decided at the merge
                if (r.bad) return false;
                Acc p = h.pending(r, pageFlagMask);
                add(p, r.page, r.high(pageFlagMask), r.count, no);
                c.strides.add(r.page, -1, no);
                return true;
            }
            if (h.ownedByLastHead(r.lruValue)) {
                h.addTails(r.count);
                c.strides.add(r.page, -1, no);
                c.outcome = OUT_TAIL;
                return true;
            }
        }
        if (r.bad) {
            c.skipped(no, text);
            return true;
        }
        Acc g = group(c, r);
        add(g, r.page, r.high(pageFlagMask), r.count, no);
        c.outcome = OUT_GROUP;
        c.outcomeGroup = g;
        if (!r.kmemP && !r.tail()) h.head(r.page, g);
        c.strides.add(r.page, r.kmemP ? r.phys : -1, no);
        return true;
    }

    /** The chunk group of a row: the last one again for runs of alike pages, else by hash (or by key with other members). */
    private Acc group(PageTableChunk c, PageRow r) {
        long kl = r.keyLru(), kf = r.keyFlags(pageFlagMask), km = r.keyMap();
        if (!r.others.isEmpty()) {
            Acc probe = new Acc(r.lruCode, kl, kf, r.mapCode, km, r.mapcount, r.refcount, r.others, null);
            Acc g = c.slow.get(probe.key());
            if (g == null) {
                c.slow.put(probe.key(), probe);
                c.order.add(probe);
                g = probe;
            }
            return g;
        }
        Acc last = c.lastGroup;
        if (last != null && same(last, r.lruCode, kl, kf, r.mapCode, km, r.mapcount, r.refcount, r.names)) return last; // runs of alike pages
        int h = hash(r.lruCode, kl, kf, r.mapCode, km, r.mapcount, r.refcount, r.names);
        int slot = h & (c.table.length - 1);
        for (Acc g = c.table[slot]; g != null; g = g.next)
            if (g.hash == h && same(g, r.lruCode, kl, kf, r.mapCode, km, r.mapcount, r.refcount, r.names)) return c.lastGroup = g;
        Acc g = new Acc(r.lruCode, kl, kf, r.mapCode, km, r.mapcount, r.refcount, PageRow.NO_OTHERS, r.names);
        g.hash = h;
        g.next = c.table[slot];
        c.table[slot] = g;
        c.order.add(g);
        if (c.order.size() > c.table.length) rehash(c);
        return c.lastGroup = g;
    }

    private static void rehash(PageTableChunk c) {
        Acc[] t = new Acc[c.table.length * 4];
        for (Acc head : c.table) {
            for (Acc g = head; g != null; ) {
                Acc nx = g.next;
                int s = g.hash & (t.length - 1);
                g.next = t[s];
                t[s] = g;
                g = nx;
            }
        }
        c.table = t;
    }

    private static int hash(int lru, long kl, long kf, int map, long km, long mc, long rc, String names) {
        long h = lru * 0x9E3779B97F4A7C15L;
        h = (h ^ kl) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ kf) * 0x9E3779B97F4A7C15L;
        h = (h ^ map) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ km) * 0x9E3779B97F4A7C15L;
        h = (h ^ mc) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ rc) * 0x9E3779B97F4A7C15L;
        if (names != null) h ^= names.hashCode();
        return (int) (h ^ (h >>> 29) ^ (h >>> 47));
    }

    static boolean same(Acc g, int lru, long kl, long kf, int map, long km, long mc, long rc, String names) {
        return g.lruCode == lru && g.lruValue == kl && g.pageFlags == kf && g.mapCode == map && g.mappingValue == km
                && g.mapcount == mc && g.refcount == rc && java.util.Objects.equals(g.names, names);
    }

    /** Adds pages to a chunk group; the node/zone values uncapped and the example candidates kept for the merge. */
    private void add(Acc g, long page, long high, long count, long no) {
        g.pages += count;
        if (no < g.firstLine) g.firstLine = no;
        if (no > g.lastLine) g.lastLine = no;
        g.high.add(high, count, Integer.MAX_VALUE);
        // example candidates: the first few rows, and the first few with a page (see merge)
        boolean keep = g.nEvents < maxExamples || (page != -1 && g.pageEvents < maxExamples);
        if (keep) {
            if (g.events.length < 2 * (g.nEvents + 1)) g.events = java.util.Arrays.copyOf(g.events, Math.max(4, g.events.length * 2));
            g.events[2 * g.nEvents] = page;
            g.events[2 * g.nEvents + 1] = no;
            g.nEvents++;
            if (page != -1) g.pageEvents++;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The merge, on the reader's thread, in file order

    /**
     * False when merging the chunk could not give what reading its rows in order gives: when new
     * groups would pass {@code max_groups} (rows of several keys then pool into one OVERFLOW group,
     * in row order), or when leading tails of different heads would land in one group. The chunk
     * must then be read line by line. Rare: a table with more groups than the limit, a dump cut
     * between heads.
     */
    boolean mergeable(PageTableChunk c) {
        java.util.Set<String> fresh = new java.util.HashSet<>();
        java.util.Set<String> pendingKeys = new java.util.HashSet<>();
        CompoundPageAttributor ch = c.heads;
        for (int i = 0; i < ch.pending.size(); i++) {
            if (heads.ownedByLastHead(ch.pendingLru.get(i))) continue;
            String k = ch.pending.get(i).key();
            if (!pendingKeys.add(k)) return false;
            if (!groups.has(k)) fresh.add(k);
        }
        for (Acc g : c.order) if (!groups.has(g.key())) fresh.add(g.key());
        return groups.size() + fresh.size() <= groups.maxGroups();
    }

    /** Adds a chunk to the file's groups; its line numbers are offset by {@code base} (the lines before it). */
    void merge(PageTableChunk c, long base) {
        CompoundPageAttributor ch = c.heads;
        // 1. the leading tails: the head before the chunk's, or rows of their own
        for (int i = 0; i < ch.pending.size(); i++) {
            Acc p = ch.pending.get(i);
            if (heads.ownedByLastHead(ch.pendingLru.get(i))) heads.addTails(p.pages);
            else groups.merge(p, base);
        }
        // 2. the chunk's groups, in order of their first row
        for (Acc g : c.order) groups.merge(g, base);
        heads.continueFrom(ch);
        // 3. strides from the first rows of the file
        strides.replay(c.strides, base);
        // 4. lines not understood
        for (int i = 0; i < c.skippedLines.size(); i++) sink.skipped(section.file(), base + c.skippedLines.get(i), c.skippedText.get(i));
        sink.stats(section.file()).skipped += c.skipped - c.skippedLines.size();
    }
}
