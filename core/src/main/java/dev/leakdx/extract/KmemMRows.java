package dev.leakdx.extract;

import dev.leakdx.facts.PageGroup;
import dev.leakdx.facts.Units;

import java.util.Map;
import java.util.TreeMap;

import static dev.leakdx.extract.PageTableColumns.COL_DEC;
import static dev.leakdx.extract.PageTableColumns.COL_HEX16;
import static dev.leakdx.extract.PageWordClassifier.LRU_NONE;
import static dev.leakdx.extract.PageWordClassifier.MAP_NONE;
import static dev.leakdx.extract.RowBytes.HIGH_BITS;
import static dev.leakdx.extract.RowBytes.LONG_LE;
import static dev.leakdx.extract.RowBytes.hex8;

/**
 * Reads the rows of crash's {@code kmem -m MEMBERS} (crash memory.c): PAGE, then the members in the
 * order of the command. crash prints pointers as %016lx, flags in hex, _count/_mapcount in
 * decimal and {@code _refcount} (an atomic_t) as %08x <em>with no trailing separator</em>, so when
 * it is not the last member its value is glued to the next column. Also the excerpts analysts
 * make of it: grep'd rows without PAGE, rows with a count from {@code uniq -c} or awk.
 *
 * <p>Three routes, which must agree on every row they accept: {@link #read} (a row as tokens, the
 * reference, used line by line and for anything unusual), {@link #fastHead}/{@link #fastRest}
 * (tokens found in the bytes, plain numbers only) and {@link #layoutRow}/{@link #layoutColumns}
 * (the exact layout crash prints, eight bytes at a time). The byte routes split after lru.next
 * because a compound tail whose head was just read is counted before its other columns are read
 * (they may be anything), as the reference does.
 */
final class KmemMRows {
    private final PageTableColumns cols;
    private final PageWordClassifier words;

    KmemMRows(PageTableColumns cols, PageWordClassifier words) {
        this.cols = cols;
        this.words = words;
    }

    /** A row as tokens into {@code r}; throws when its columns do not fit the members (a skipped line). */
    void read(String[] tok, PageRow r) {
        PageTableColumns c = cols;
        int n = c.members.size();
        long count = 1;
        boolean pageCol = c.hasPageColumn;
        int expected = n + (pageCol ? 1 : 0);
        String[] vals = tok;
        // crash prints _refcount as %08x with no trailing separator: when it is not the last member it is glued to the next.
        if (c.iRefcount >= 0 && c.iRefcount < n - 1 && vals.length == expected - 1) {
            int at = c.iRefcount + (pageCol ? 1 : 0);
            if (vals[at].length() > 8) {
                String[] split = new String[vals.length + 1];
                System.arraycopy(vals, 0, split, 0, at);
                split[at] = vals[at].substring(0, 8);
                split[at + 1] = vals[at].substring(8);
                System.arraycopy(vals, at + 1, split, at + 2, vals.length - at - 1);
                vals = split;
            }
        }
        int off;
        if (vals.length == expected) {
            off = pageCol ? 1 : 0;
        } else if (pageCol && vals.length == n) {
            // grep'd rows of an excerpt without the PAGE column
            pageCol = false;
            off = 0;
        } else if (vals.length == n + 1 && !pageCol) {
            // pre-aggregated excerpt: count last (awk) or first (uniq -c)
            pageCol = false;
            if (c.countFirst && RowBytes.isDecimal(vals[0])) { count = Long.parseLong(vals[0]); off = 1; }
            else if (RowBytes.isDecimal(vals[n])) { count = Long.parseLong(vals[n]); off = 0; }
            else if (RowBytes.isDecimal(vals[0])) { count = Long.parseLong(vals[0]); off = 1; }
            else throw new IllegalArgumentException("columns");
        } else {
            throw new IllegalArgumentException("columns");
        }
        r.kmemP = false;
        r.count = count;
        r.page = pageCol ? Units.parseHex(vals[0]) : -1;
        r.lruCode = LRU_NONE;
        r.lruValue = 0;
        if (c.iLru >= 0) {
            String raw = vals[off + c.iLru];
            int comma = raw.indexOf(',');
            r.lruValue = Units.parseHex(comma >= 0 ? raw.substring(0, comma) : raw);
            r.lruCode = words.lruCode(r.lruValue, r.page);
        }
        // a compound tail is counted with its head before its other columns are read: they may be anything
        r.bad = false;
        try {
            r.hasFlags = c.iFlags >= 0;
            r.flags = r.hasFlags ? Units.parseHex(vals[off + c.iFlags]) : 0;
            r.mapCode = MAP_NONE;
            r.mapValue = 0;
            if (c.iMapping >= 0) {
                r.mapValue = Units.parseHex(vals[off + c.iMapping]);
                r.mapCode = words.mapCode(r.mapValue);
            }
            r.mapcount = c.iMapcount >= 0 ? Long.parseLong(vals[off + c.iMapcount]) : PageGroup.ABSENT;
            r.refcount = c.iRefcount >= 0 ? Long.parseLong(vals[off + c.iRefcount], 16) : -1;
            r.others = PageRow.NO_OTHERS;
            if (c.iOthers.length > 0) {
                Map<String, String> others = new TreeMap<>();
                for (int i : c.iOthers) others.put(c.members.get(i), PageWordClassifier.classifyOther(vals[off + i]));
                r.others = others;
            }
        } catch (RuntimeException e) {
            r.bad = true;
        }
    }

    /**
     * The first half of the token route: a row with the PAGE column and exactly the expected
     * columns, no other members; reads PAGE and lru.next into {@code r}. False: use the String route.
     */
    boolean fastHead(byte[] b, RowBytes.Scan sc, PageRow r) {
        PageTableColumns c = cols;
        int n = c.members.size();
        int[] ts = sc.ts, te = sc.te;
        if (!c.hasPageColumn || c.iOthers.length > 0 || sc.nt != n + 1) return false;
        long[] v = sc.v;
        if (!RowBytes.hex(b, ts[0], te[0], v)) return false;
        r.kmemP = false;
        r.count = 1;
        r.page = v[0];
        r.lruCode = LRU_NONE;
        r.lruValue = 0;
        if (c.iLru >= 0) {
            if (!RowBytes.hex(b, ts[1 + c.iLru], te[1 + c.iLru], v)) return false;
            r.lruValue = v[0];
            r.lruCode = words.lruCode(r.lruValue, r.page);
        }
        return true;
    }

    /** The second half of the token route: the columns after lru.next, plain numbers only. False: use the String route. */
    boolean fastRest(byte[] b, RowBytes.Scan sc, PageRow r) {
        PageTableColumns c = cols;
        int[] ts = sc.ts, te = sc.te;
        long[] v = sc.v;
        r.bad = false;
        r.hasFlags = c.iFlags >= 0;
        r.flags = 0;
        if (r.hasFlags) {
            if (!RowBytes.hex(b, ts[1 + c.iFlags], te[1 + c.iFlags], v)) return false;
            r.flags = v[0];
        }
        r.mapCode = MAP_NONE;
        r.mapValue = 0;
        if (c.iMapping >= 0) {
            if (!RowBytes.hex(b, ts[1 + c.iMapping], te[1 + c.iMapping], v)) return false;
            r.mapValue = v[0];
            r.mapCode = words.mapCode(r.mapValue);
        }
        r.mapcount = PageGroup.ABSENT;
        if (c.iMapcount >= 0) {
            if (!RowBytes.decimal(b, ts[1 + c.iMapcount], te[1 + c.iMapcount], v)) return false;
            r.mapcount = v[0];
        }
        r.refcount = -1;
        if (c.iRefcount >= 0) {
            int s = ts[1 + c.iRefcount], e = te[1 + c.iRefcount];
            if (e - s > 15 || !RowBytes.hex(b, s, e, v)) return false; // 16 digits may not fit a signed long: String route
            r.refcount = v[0];
        }
        r.others = PageRow.NO_OTHERS;
        r.names = null;
        return true;
    }

    /**
     * Checks that a line is laid out exactly as {@link PageTableColumns#layout} says and reads PAGE
     * and lru.next (into vals[0], vals[1 + lruCol]; the other columns' offsets into {@code at}),
     * eight bytes at a time; -1 when the line is laid out otherwise, and the token route reads it.
     * A line it accepts has the tokens the token route would find. Returns the next line's start.
     */
    static int layoutRow(byte[] b, int pos, int to, int[] kinds, int lruCol, long[] vals, int[] at) {
        int i = pos;
        if (i + 16 > to) return -1;
        long hi = hex8((long) LONG_LE.get(b, i)), lo = hex8((long) LONG_LE.get(b, i + 8));
        if ((hi | lo) < 0) return -1;
        vals[0] = hi << 32 | lo;
        i += 16;
        for (int k = 0; k < kinds.length; k++) {
            if (i + 2 > to || b[i] != ' ' || b[i + 1] != ' ') return -1;
            i += 2;
            at[k + 1] = i;
            int kind = kinds[k];
            if (kind == COL_DEC) {
                int j = b[i] == '-' ? i + 1 : i, st = j;
                while (j < to && j - st < 18 && b[j] >= '0' && b[j] <= '9') j++;
                if (j == st || j < to && (b[j] < 0 || b[j] > ' ')) return -1;
                at[k + 1] = i;
                vals[k + 1] = j; // the column's end
                i = j;
                continue;
            }
            int width = kind == COL_HEX16 ? 16 : 8;
            if (i + width > to) return -1;
            if (k == lruCol) {
                hi = hex8((long) LONG_LE.get(b, i));
                lo = hex8((long) LONG_LE.get(b, i + 8));
                if ((hi | lo) < 0) return -1;
                vals[k + 1] = hi << 32 | lo;
            } else {
                // read later, if the row needs it; for now: printable ASCII, so a token of its own
                for (int j = i; j < i + width; j += 8) {
                    long x = (long) LONG_LE.get(b, j);
                    if ((x & HIGH_BITS) != 0 || (~(x + 0x5f5f5f5f5f5f5f5fL) & HIGH_BITS) != 0) return -1;
                }
            }
            i += width;
        }
        if (i < to) {
            if (b[i] == '\n') return i + 1;
            if (b[i] != '\r') return -1;
            return i + 1 < to && b[i + 1] == '\n' ? i + 2 : i + 1;
        }
        return i;
    }

    /**
     * Reads the columns other than lru.next of a row {@link #layoutRow} accepted into vals. False
     * when one is not a plain number: the token route must read the line.
     */
    boolean layoutColumns(byte[] b, int[] kinds, long[] vals, int[] at) {
        int lruCol = cols.iLru;
        for (int k = 0; k < kinds.length; k++) {
            if (k == lruCol) continue;
            int s = at[k + 1];
            if (kinds[k] == COL_DEC) {
                int e = (int) vals[k + 1];
                boolean neg = b[s] == '-';
                long v = 0;
                for (int j = neg ? s + 1 : s; j < e; j++) v = v * 10 + (b[j] - '0');
                vals[k + 1] = neg ? -v : v;
            } else if (kinds[k] == COL_HEX16) {
                long hi = hex8((long) LONG_LE.get(b, s)), lo = hex8((long) LONG_LE.get(b, s + 8));
                if ((hi | lo) < 0) return false;
                vals[k + 1] = hi << 32 | lo;
            } else {
                long v = hex8((long) LONG_LE.get(b, s));
                if (v < 0) return false;
                vals[k + 1] = v;
            }
        }
        return true;
    }

    /** The row {@link #layoutColumns} read, into {@code r} (lru.next already classified there). */
    void layoutInto(long[] vals, PageRow r) {
        PageTableColumns c = cols;
        r.kmemP = false;
        r.bad = false;
        r.count = 1;
        r.page = vals[0];
        r.hasFlags = c.iFlags >= 0;
        r.flags = r.hasFlags ? vals[1 + c.iFlags] : 0;
        if (c.iMapping >= 0) {
            r.mapValue = vals[1 + c.iMapping];
            r.mapCode = words.mapCode(r.mapValue);
        } else {
            r.mapValue = 0;
            r.mapCode = MAP_NONE;
        }
        r.mapcount = c.iMapcount >= 0 ? vals[1 + c.iMapcount] : PageGroup.ABSENT;
        r.refcount = c.iRefcount >= 0 ? vals[1 + c.iRefcount] : -1;
        r.others = PageRow.NO_OTHERS;
        r.names = null;
    }
}
