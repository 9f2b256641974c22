package dev.leakdx.extract;

import dev.leakdx.facts.PageGroup;
import dev.leakdx.facts.Units;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static dev.leakdx.extract.PageWordClassifier.LRU_NONE;
import static dev.leakdx.extract.PageWordClassifier.MAP_INVALID;

/**
 * Reads the rows of crash's {@code kmem -p}: {@code PAGE PHYSICAL MAPPING INDEX CNT FLAGS[ names]}
 * (crash memory.c dump_mem_map()), PHYSICAL %8lx, MAPPING %16lx or dashes when crash could not
 * read it, CNT (the page's _refcount) %2d, then the flags in hex and, with crash 7+, their names.
 * kmem -p has no lru.next and no _mapcount, so its groups never hold compound tails: PHYSICAL
 * gives the page size instead ({@link PageStrides}).
 *
 * <p>Two routes that agree on every row they accept: {@link #read} (tokens, the reference) and
 * {@link #fast} (from the bytes, plain numbers only, at most one names column).
 */
final class KmemPRows {
    private final PageWordClassifier words;
    /** Flag names: a few distinct strings, made once per chunk thread. */
    private final ThreadLocal<Map<String, String>> nameCache = ThreadLocal.withInitial(HashMap::new);

    KmemPRows(PageWordClassifier words) { this.words = words; }

    /** A row as tokens into {@code r}; throws when it is not one (a skipped line). */
    void read(String[] tok, PageRow r) {
        // PAGE PHYSICAL MAPPING INDEX CNT FLAGS [names]; MAPPING/INDEX may be dashes when invalid
        if (tok.length < 6) throw new IllegalArgumentException("columns");
        r.kmemP = true;
        r.bad = false;
        r.count = 1;
        r.page = Units.parseHex(tok[0]);
        r.phys = Units.parseHex(tok[1]);
        String mapping = tok[2];
        r.refcount = Long.parseLong(tok[4]);
        r.flags = Units.parseHex(tok[5]);
        r.hasFlags = true;
        r.mapValue = mapping.startsWith("-") ? 0 : Units.parseHex(mapping);
        r.mapCode = mapping.startsWith("-") ? MAP_INVALID : words.mapCode(r.mapValue);
        r.lruCode = LRU_NONE;
        r.lruValue = 0;
        r.mapcount = PageGroup.ABSENT;
        Map<String, String> others = new TreeMap<>();
        if (tok.length > 6) others.put("names", String.join("", java.util.Arrays.copyOfRange(tok, 6, tok.length)));
        r.others = others;
    }

    /** A row with at most one names column, plain numbers only, from its tokens' bytes; false: use the String route. */
    boolean fast(byte[] b, RowBytes.Scan sc, PageRow r) {
        int nt = sc.nt;
        int[] ts = sc.ts, te = sc.te;
        if (nt != 6 && nt != 7) return false;
        long[] v = sc.v;
        r.kmemP = true;
        r.bad = false;
        r.count = 1;
        if (!RowBytes.hex(b, ts[0], te[0], v)) return false;
        r.page = v[0];
        if (!RowBytes.hex(b, ts[1], te[1], v)) return false;
        r.phys = v[0];
        if (b[ts[2]] == '-') {
            r.mapValue = 0;
            r.mapCode = MAP_INVALID;
        } else {
            if (!RowBytes.hex(b, ts[2], te[2], v)) return false;
            r.mapValue = v[0];
            r.mapCode = words.mapCode(r.mapValue);
        }
        if (!RowBytes.decimal(b, ts[4], te[4], v)) return false;
        r.refcount = v[0];
        if (!RowBytes.hex(b, ts[5], te[5], v)) return false;
        r.flags = v[0];
        r.hasFlags = true;
        r.lruCode = LRU_NONE;
        r.lruValue = 0;
        r.mapcount = PageGroup.ABSENT;
        r.others = PageRow.NO_OTHERS;
        r.names = nt == 7 ? names(b, ts[6], te[6]) : null;
        return true;
    }

    private String names(byte[] b, int s, int e) {
        String t = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        Map<String, String> m = nameCache.get();
        String hit = m.get(t);
        if (hit != null) return hit;
        if (m.size() < 4096) m.put(t, t);
        return t;
    }
}
