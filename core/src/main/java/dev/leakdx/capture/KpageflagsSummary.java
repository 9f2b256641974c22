package dev.leakdx.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code page-types} (tools/mm/page-types.c) prints with no options, and with {@code -r},
 * computed here from /proc/kpageflags so that no page-types binary is needed on the host.
 *
 * <p>Where each field comes from (Documentation/admin-guide/mm/pagemap.rst, "/proc/kpageflags"):
 * the file holds one 64-bit word per page frame number, in the machine's own byte order
 * (page-types reads it into a {@code uint64_t} array), PFN 0 first, up to the highest PFN; holes
 * read as {@code KPF_NOPAGE}. Bit numbers are the KPF_* of include/uapi/linux/kernel-page-flags.h
 * (0-26 stable) and of page-types.c's own list (32-41 "kernel hacking assistances", 47-51 and 61-63
 * its overloaded-flag slots). The summary groups pages by their (filtered) word; the MB column is
 * {@code pages * page_size >> 20}, as page-types' pages2mb. /proc/kpagecount is not needed: page-types
 * reads it only for {@code --list-mapcnt}, never for the summary.
 *
 * <p>Memory is bounded by the number of distinct flag words (hundreds), not by RAM: the file is read
 * in 512 KiB blocks and equal neighbouring words are counted as runs.
 */
public final class KpageflagsSummary {
    // page-types.c's filters (read from its source, tools/mm/page-types.c):
    // without -r it hides bits 32-47 (KPF_HACKERS_BITS) and H/T of compound pages that are not hugetlb;
    // with -r it rewrites the overloaded bits (expand_overloaded_flags; the pagemap half is zero here).
    private static final long HACKERS_BITS = 0xffffL << 32;
    private static final int LOCKED_ERROR = 1, ACTIVE = 6, SLAB = 7, WRITEBACK = 8, RECLAIM = 9, ANON = 12,
            COMPOUND_HEAD = 15, COMPOUND_TAIL = 16, HUGE = 17, OWNER_2 = 34, ANON_EXCLUSIVE = 47, READAHEAD = 48,
            SLUB_FROZEN = 50, SLUB_DEBUG = 51;

    /** page-types' flag letters and names, by bit; null where it names none (it prints no column for those). */
    private static final String[] NAMES = new String[64];
    static {
        String[] stable = {"L:locked", "E:error", "R:referenced", "U:uptodate", "D:dirty", "l:lru", "A:active", "S:slab",
                "W:writeback", "I:reclaim", "B:buddy", "M:mmap", "a:anonymous", "s:swapcache", "b:swapbacked",
                "H:compound_head", "T:compound_tail", "G:huge", "u:unevictable", "X:hwpoison", "n:nopage", "x:ksm",
                "t:thp", "o:offline", "z:zero_page", "i:idle_page", "g:pgtable"};
        System.arraycopy(stable, 0, NAMES, 0, stable.length);
        String[] hacking = {"r:reserved", "m:mlocked", "d:owner_2", "P:private", "p:private_2", "O:owner_private",
                "h:arch", "c:uncached", "f:softdirty", "H:arch_2"};
        System.arraycopy(hacking, 0, NAMES, 32, hacking.length);
        NAMES[47] = "d:anon_exclusive";
        NAMES[48] = "I:readahead";
        NAMES[50] = "A:slub_frozen";
        NAMES[51] = "E:slub_debug";
        NAMES[61] = "F:file";
        NAMES[62] = "w:swap";
        NAMES[63] = "1:mmap_exclusive";
    }

    private final Map<Long, long[]> summary = new HashMap<>();
    private final Map<Long, long[]> raw = new HashMap<>();
    private long pages;

    /** Reads a whole kpageflags stream. */
    public static KpageflagsSummary read(InputStream in, ByteOrder order) throws IOException {
        KpageflagsSummary s = new KpageflagsSummary();
        byte[] block = new byte[64 << 13]; // 64 Ki words: page-types' KPAGEFLAGS_BATCH
        int have = 0;
        long runWord = 0, runLength = 0;
        while (true) {
            int n = in.read(block, have, block.length - have);
            if (n < 0) break;
            have += n;
            int whole = have & ~7;
            ByteBuffer b = ByteBuffer.wrap(block, 0, whole).order(order);
            for (int i = 0; i < whole; i += 8) {
                long w = b.getLong(i);
                if (w == runWord && runLength > 0) { runLength++; continue; }
                s.add(runWord, runLength);
                runWord = w;
                runLength = 1;
            }
            System.arraycopy(block, whole, block, 0, have - whole);
            have -= whole;
        }
        s.add(runWord, runLength);
        return s;
    }

    private void add(long word, long count) {
        if (count == 0) return;
        pages += count;
        summary.computeIfAbsent(wellKnown(word), k -> new long[1])[0] += count;
        raw.computeIfAbsent(expandOverloaded(word), k -> new long[1])[0] += count;
    }

    static long wellKnown(long f) {
        f &= ~HACKERS_BITS;
        long compound = bit(COMPOUND_HEAD) | bit(COMPOUND_TAIL);
        if ((f & compound) != 0 && (f & bit(HUGE)) == 0) f &= ~compound;
        return f;
    }

    static long expandOverloaded(long f) {
        if ((f & bit(ANON)) != 0 && (f & bit(OWNER_2)) != 0) f ^= bit(OWNER_2) | bit(ANON_EXCLUSIVE);
        if ((f & bit(SLAB)) != 0) {
            if ((f & bit(ACTIVE)) != 0) f ^= bit(ACTIVE) | bit(SLUB_FROZEN);
            if ((f & bit(LOCKED_ERROR)) != 0) f ^= bit(LOCKED_ERROR) | bit(SLUB_DEBUG);
        }
        if ((f & (bit(RECLAIM) | bit(WRITEBACK))) == bit(RECLAIM)) f ^= bit(RECLAIM) | bit(READAHEAD);
        return f;
    }

    private static long bit(int n) { return 1L << n; }

    public long pages() { return pages; }

    /** Pages per flag word as page-types prints them without options. */
    public Map<Long, Long> groups() { return flat(summary); }

    /** Pages per flag word as {@code page-types -r} prints them. */
    public Map<Long, Long> rawGroups() { return flat(raw); }

    private static Map<Long, Long> flat(Map<Long, long[]> m) {
        Map<Long, Long> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }

    /** The summary table in page-types' layout (show_summary): header, one row per flag word, total. */
    public String render(boolean rawMode, long pageSize) {
        Map<Long, long[]> m = rawMode ? raw : summary;
        StringBuilder b = new StringBuilder("             flags\tpage-count       MB  symbolic-flags\t\t\tlong-symbolic-flags\n");
        // page-types walks a hash table keyed by the low 13 bits (flags 0 in slot 0); this order is close to it
        List<Long> keys = new ArrayList<>(m.keySet());
        keys.sort(Comparator.comparingLong((Long k) -> k & 0x1fff).thenComparing(Long::compareUnsigned));
        for (long k : keys) {
            long n = m.get(k)[0];
            b.append(String.format(Locale.ROOT, "0x%016x\t%10d %8d  %s\t%s\n", k, n, mb(n, pageSize), symbolic(k), longNames(k)));
        }
        b.append(String.format(Locale.ROOT, "             total\t%10d %8d\n", pages, mb(pages, pageSize)));
        return b.toString();
    }

    private static long mb(long pages, long pageSize) { return pages * pageSize >> 20; }

    static String symbolic(long f) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 64; i++) if (NAMES[i] != null) s.append((f >>> i & 1) == 1 ? NAMES[i].charAt(0) : '_');
        return s.toString();
    }

    static String longNames(long f) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            if (NAMES[i] == null || (f >>> i & 1) == 0) continue;
            if (s.length() > 0) s.append(',');
            s.append(NAMES[i], 2, NAMES[i].length());
        }
        return s.toString();
    }
}
