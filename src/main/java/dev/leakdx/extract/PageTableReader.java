package dev.leakdx.extract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.PageGroup;
import dev.leakdx.facts.Units;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads crash page tables ({@code kmem -m MEMBERS}, {@code kmem -p}) and pre-aggregated
 * excerpts of them (rows with a trailing or leading count, as analysts make with awk or
 * {@code uniq -c}), and aggregates rows into {@link PageGroup}s in one pass: memory grows
 * with the number of groups, never with the number of rows.
 *
 * <p>Formats (crash memory.c, KERNEL-NOTES §3): kmem -m prints pointers as %016lx, flags in
 * hex, members starting with _count/_mapcount in decimal, and {@code _refcount} (an atomic_t)
 * as %08x <em>with no trailing separator</em>, so when it is not the last member its value is
 * glued to the next column. kmem -p prints PAGE PHYSICAL MAPPING INDEX CNT FLAGS[ names].
 * Members come from the command ({@code kmem -m a,b,c}) because grep drops the header.
 *
 * <p>Big tables are read in chunks on several cores ({@link #chunk}, merged in file order by
 * {@link #merge}): a chunk aggregates its rows on its own, its leading compound tails are kept
 * apart until the head before the chunk is known, and the merge applies the group limit, the
 * node/zone and example caps and the stride inference exactly as reading row by row does, so
 * the facts are the same whichever way the file was read.
 */
final class PageTableReader implements SectionReader {
    private final Section section;
    private final Sink sink;
    private final boolean kmemP;
    private final long[] poisonDeltas;
    private final boolean evenDeltas;
    private final long pageFlagMask;
    private final int maxGroups, maxExamples;
    private final boolean reordered;

    private List<String> members;
    private boolean hasPageColumn = true, countFirst;
    private int iLru = -1, iFlags = -1, iMapping = -1, iMapcount = -1, iRefcount = -1;
    private int[] iOthers = new int[0];

    // the file's groups, in order of their first row
    private final Map<String, Acc> groups = new LinkedHashMap<>();
    private Acc overflow;
    private long lastHeadAddr = -1;
    private Acc lastHeadGroup;
    // stride inference: struct page size from consecutive PAGE addresses, page size from PHYSICAL
    private long prevPage = -1, prevPhys = -1, rows;
    private final Map<Long, Long> pageStrides = new HashMap<>(), physStrides = new HashMap<>();
    private long firstPage = -1, firstPhys = -1, firstRowLine;

    private static final Map<String, String> NO_OTHERS = Map.of();
    private static final List<String> KMEM_P = List.of("PHYSICAL", "MAPPING", "INDEX", "CNT", "FLAGS");
    /** Node/zone values kept per group; beyond this only values already seen are counted. */
    private static final int MAX_HIGH = 256;
    /** Rows whose strides are looked at. */
    private static final int STRIDE_ROWS = 4096;

    // lru.next and mapping classes; the codes index these arrays
    static final String[] LRU_CLASSES = {"", "ZERO", "LIST_POISON1", "PAGE_POOL", "TAIL", "SELF", "POISON", "POINTER"};
    static final int LRU_NONE = 0, LRU_ZERO = 1, LRU_POISON1 = 2, LRU_PAGE_POOL = 3, LRU_TAIL = 4, LRU_SELF = 5, LRU_POISON = 6, LRU_POINTER = 7;
    static final String[] MAP_CLASSES = {"", "NULL", "POISON", "KSM", "ANON", "MOVABLE", "POINTER", "INVALID"};
    static final int MAP_NONE = 0, MAP_NULL = 1, MAP_POISON = 2, MAP_KSM = 3, MAP_ANON = 4, MAP_MOVABLE = 5, MAP_POINTER = 6, MAP_INVALID = 7;

    /** A group being aggregated: its key, and what its rows add up to. */
    private static final class Acc {
        final int lruCode, mapCode;
        final String lruClass, mappingClass;
        final long lruValue, pageFlags, mappingValue, mapcount, refcount;
        final Map<String, String> others;
        final String names; // kmem -p flag names of a chunk's fast path (others = {names=...}), else null
        long pages, tails, firstLine = Long.MAX_VALUE, lastLine;
        final Highs high = new Highs();
        final List<Long> examples = new ArrayList<>(), exampleLines = new ArrayList<>();
        /** A chunk's example candidates as (page, line) pairs, replayed at the merge. */
        long[] events = new long[0];
        int nEvents, pageEvents;
        int hash;
        Acc next; // chunk hash chain
        Acc merged; // the file group a chunk group was merged into

        Acc(int lruCode, long lruValue, long pageFlags, int mapCode, long mappingValue, long mapcount, long refcount,
            Map<String, String> others, String names) {
            this.lruCode = lruCode; this.lruClass = LRU_CLASSES[lruCode]; this.lruValue = lruValue; this.pageFlags = pageFlags;
            this.mapCode = mapCode; this.mappingClass = MAP_CLASSES[mapCode]; this.mappingValue = mappingValue;
            this.mapcount = mapcount; this.refcount = refcount; this.others = others; this.names = names;
        }

        private String key;

        String key() {
            if (key == null)
                key = lruClass + '|' + lruValue + '|' + pageFlags + '|' + mappingClass + '|' + mappingValue + '|' + mapcount + '|' + refcount + '|'
                        + (names != null ? "{names=" + names + "}" : others.toString());
            return key;
        }
    }

    /** Node/zone value counts in order of first appearance (a linear scan while few, indexed beyond). */
    private static final class Highs {
        long[] keys = new long[4], counts = new long[4];
        int size, last;
        HashMap<Long, Integer> index;

        int find(long k) {
            if (last < size && keys[last] == k) return last;
            if (index != null) {
                Integer i = index.get(k);
                return i == null ? -1 : (last = i);
            }
            for (int i = 0; i < size; i++) if (keys[i] == k) return last = i;
            return -1;
        }

        /** Adds n to k's count; a new value only while there are fewer than {@code cap}. */
        void add(long k, long n, int cap) {
            int i = find(k);
            if (i >= 0) {
                counts[i] += n;
                return;
            }
            if (size >= cap) return;
            if (size == keys.length) {
                keys = java.util.Arrays.copyOf(keys, size * 2);
                counts = java.util.Arrays.copyOf(counts, size * 2);
            }
            keys[size] = k;
            counts[size] = n;
            if (index != null) index.put(k, size);
            else if (size == 16) {
                index = new HashMap<>();
                for (int j = 0; j <= size; j++) index.put(keys[j], j);
            }
            last = size++;
        }

        Map<Long, Long> toMap() {
            Map<Long, Long> m = new TreeMap<>();
            for (int i = 0; i < size; i++) m.put(keys[i], counts[i]);
            return m;
        }
    }

    PageTableReader(Section section, Sink sink) {
        this.section = section;
        this.sink = sink;
        JsonNode o = section.spec().options();
        List<Long> deltas = new ArrayList<>();
        for (JsonNode d : o.path("poison_pointer_delta")) deltas.add(Units.parseHex(d.asText()));
        if (deltas.isEmpty()) deltas.add(0xdead000000000000L);
        this.poisonDeltas = deltas.stream().mapToLong(Long::longValue).toArray();
        this.evenDeltas = deltas.stream().allMatch(d -> (d & 1) == 0);
        int bits = o.path("pageflag_bits").asInt(28);
        this.pageFlagMask = bits >= 64 ? -1L : (1L << bits) - 1;
        this.maxGroups = o.path("max_groups").asInt(200_000);
        this.maxExamples = o.path("examples").asInt(3);
        this.reordered = section.rowsReordered();
        String base = section.baseCommand();
        this.kmemP = base.matches("kmem\\s+-p\\b.*");
        List<String> fromCommand = membersFromCommand(base);
        if (fromCommand != null) setMembers(fromCommand);
        // Rows piped through an aggregation (awk counting, sort | uniq -c) lost their PAGE column and
        // gained a count: first with uniq -c, last with the usual awk 'print k, c[k]'.
        String pipes = section.command().contains("|") ? section.command().substring(section.command().indexOf('|')) : "";
        if (pipes.matches(".*\\b(uniq\\s+-c|awk)\\b.*")) {
            hasPageColumn = false;
            countFirst = pipes.matches(".*\\buniq\\s+-c\\b.*");
        }
    }

    static List<String> membersFromCommand(String base) {
        String[] t = base.split("\\s+");
        for (int i = 0; i + 1 < t.length; i++) {
            if (t[i].equals("-m")) return new ArrayList<>(List.of(t[i + 1].split(",")));
            if (t[i].startsWith("-m") && t[i].length() > 2 && !t[i].startsWith("-m=")) return new ArrayList<>(List.of(t[i].substring(2).split(",")));
        }
        return null;
    }

    private boolean isKmemP() { return kmemP || members == KMEM_P; }

    @Override public void line(long no, String text) {
        String[] tok = tokens(text);
        if (tok.length == 0) return;
        // rows start with a hex number (PAGE, or lru.next in excerpts) or a count; only other lines can be headers
        if (!isNumber(tok[0]) && isHeader(tok)) return;
        if (members == null) {
            sink.skipped(section.file(), no, text);
            return;
        }
        Row r = new Row();
        try {
            if (isKmemP()) rowP(tok, r); else rowM(tok, r);
        } catch (RuntimeException e) {
            sink.skipped(section.file(), no, text);
            return;
        }
        accept(r, no, text);
    }

    /** Whitespace split without a regex: this runs once per row of tables with hundreds of millions of rows. */
    static String[] tokens(String s) {
        int n = 0, len = s.length();
        for (int i = 0; i < len; ) {
            while (i < len && s.charAt(i) <= ' ') i++;
            if (i == len) break;
            n++;
            while (i < len && s.charAt(i) > ' ') i++;
        }
        String[] out = new String[n];
        int k = 0;
        for (int i = 0; i < len; ) {
            while (i < len && s.charAt(i) <= ' ') i++;
            if (i == len) break;
            int st = i;
            while (i < len && s.charAt(i) > ' ') i++;
            out[k++] = s.substring(st, i);
        }
        return out;
    }

    private static boolean isNumber(String t) {
        int i = t.startsWith("-") ? 1 : 0;
        if (i == t.length()) return false;
        for (; i < t.length(); i++) if (Character.digit(t.charAt(i), 16) < 0) return false;
        return true;
    }

    private static boolean isDecimal(String t) {
        if (t.isEmpty()) return false;
        for (int i = 0; i < t.length(); i++) if (t.charAt(i) < '0' || t.charAt(i) > '9') return false;
        return true;
    }

    /** A header names the columns; "PAGE PHYSICAL MAPPING ..." is kmem -p, "PAGE a b" is kmem -m, "a b" an excerpt. */
    private boolean isHeader(String[] tok) {
        if (tok[0].equals("PAGE")) {
            List<String> cols = new ArrayList<>(List.of(tok).subList(1, tok.length));
            if (cols.size() >= 5 && cols.get(0).equals("PHYSICAL") && cols.get(1).equals("MAPPING")) setMembers(KMEM_P);
            else if (members == null) setMembers(cols);
            hasPageColumn = true;
            return true;
        }
        for (String t : tok) if (!t.matches("[A-Za-z_][A-Za-z0-9_.\\[\\]]*")) return false;
        if (members == null || List.of(tok).equals(members)) {
            setMembers(new ArrayList<>(List.of(tok)));
            hasPageColumn = false;
            return true;
        }
        return false;
    }

    private void setMembers(List<String> m) {
        members = m;
        iLru = m.indexOf("lru.next") >= 0 ? m.indexOf("lru.next") : m.indexOf("lru");
        iFlags = m.indexOf("flags");
        iMapping = m.indexOf("mapping");
        iMapcount = m.indexOf("_mapcount");
        iRefcount = m.indexOf("_refcount");
        List<Integer> o = new ArrayList<>();
        for (int i = 0; i < m.size(); i++) if (i != iLru && i != iFlags && i != iMapping && i != iMapcount && i != iRefcount) o.add(i);
        iOthers = o.stream().mapToInt(Integer::intValue).toArray();
    }

    /** One row as read: its page, its classified members and how many pages it stands for. */
    private static final class Row {
        boolean kmemP;
        /** Columns after lru.next did not parse: only an attributed tail can use the row. */
        boolean bad;
        long page = -1, phys = -1, count = 1;
        int lruCode;
        long lruValue;
        boolean hasFlags;
        long flags;
        int mapCode;
        long mapValue;
        long mapcount = PageGroup.ABSENT, refcount = -1;
        Map<String, String> others = NO_OTHERS;
        String names;

        boolean tail() { return lruCode == LRU_TAIL; }

        long keyLru() { return lruCode == LRU_POINTER || lruCode == LRU_SELF || lruCode == LRU_TAIL ? 0 : lruValue; }

        long keyFlags(long mask) { return hasFlags ? flags & mask : -1; }

        long keyMap() { return mapCode == MAP_POISON ? mapValue : 0; }

        long high(long mask) { return hasFlags ? flags & ~mask : 0; }
    }

    private void rowM(String[] tok, Row r) {
        int n = members.size();
        long count = 1;
        boolean pageCol = hasPageColumn;
        int expected = n + (pageCol ? 1 : 0);
        String[] vals = tok;
        // crash prints _refcount as %08x with no trailing separator: when it is not the last member it is glued to the next.
        if (iRefcount >= 0 && iRefcount < n - 1 && vals.length == expected - 1) {
            int at = iRefcount + (pageCol ? 1 : 0);
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
            if (countFirst && isDecimal(vals[0])) { count = Long.parseLong(vals[0]); off = 1; }
            else if (isDecimal(vals[n])) { count = Long.parseLong(vals[n]); off = 0; }
            else if (isDecimal(vals[0])) { count = Long.parseLong(vals[0]); off = 1; }
            else throw new IllegalArgumentException("columns");
        } else {
            throw new IllegalArgumentException("columns");
        }
        r.kmemP = false;
        r.count = count;
        r.page = pageCol ? Units.parseHex(vals[0]) : -1;
        r.lruCode = LRU_NONE;
        r.lruValue = 0;
        if (iLru >= 0) {
            String raw = vals[off + iLru];
            int comma = raw.indexOf(',');
            r.lruValue = Units.parseHex(comma >= 0 ? raw.substring(0, comma) : raw);
            r.lruCode = lruCode(r.lruValue, r.page);
        }
        // a compound tail is counted with its head before its other columns are read: they may be anything
        r.bad = false;
        try {
            r.hasFlags = iFlags >= 0;
            r.flags = r.hasFlags ? Units.parseHex(vals[off + iFlags]) : 0;
            r.mapCode = MAP_NONE;
            r.mapValue = 0;
            if (iMapping >= 0) {
                r.mapValue = Units.parseHex(vals[off + iMapping]);
                r.mapCode = mapCode(r.mapValue);
            }
            r.mapcount = iMapcount >= 0 ? Long.parseLong(vals[off + iMapcount]) : PageGroup.ABSENT;
            r.refcount = iRefcount >= 0 ? Long.parseLong(vals[off + iRefcount], 16) : -1;
            r.others = NO_OTHERS;
            if (iOthers.length > 0) {
                Map<String, String> others = new TreeMap<>();
                for (int i : iOthers) others.put(members.get(i), classifyOther(vals[off + i]));
                r.others = others;
            }
        } catch (RuntimeException e) {
            r.bad = true;
        }
    }

    private void rowP(String[] tok, Row r) {
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
        r.mapCode = mapping.startsWith("-") ? MAP_INVALID : mapCode(r.mapValue);
        r.lruCode = LRU_NONE;
        r.lruValue = 0;
        r.mapcount = PageGroup.ABSENT;
        Map<String, String> others = new TreeMap<>();
        if (tok.length > 6) others.put("names", String.join("", java.util.Arrays.copyOfRange(tok, 6, tok.length)));
        r.others = others;
    }

    /** Adds a row to the file's groups, in file order. */
    private void accept(Row r, long no, String text) {
        if (!r.kmemP && r.tail() && r.page != -1 && lastHeadGroup != null && r.lruValue - 1 == lastHeadAddr) {
            lastHeadGroup.tails += r.count;
            track(r.page, -1, no);
            return;
        }
        if (r.bad) {
            sink.skipped(section.file(), no, text);
            return;
        }
        Acc g = group(r.lruCode, r.keyLru(), r.keyFlags(pageFlagMask), r.mapCode, r.keyMap(), r.mapcount, r.refcount, r.others, null, no);
        add(g, r.page, r.high(pageFlagMask), r.count, no);
        if (!r.kmemP && !r.tail()) { lastHeadAddr = r.page; lastHeadGroup = g; }
        track(r.page, r.kmemP ? r.phys : -1, no);
    }

    private void track(long page, long phys, long no) {
        if (page == -1 || reordered) return;
        rows++;
        if (firstPage == -1) { firstPage = page; firstPhys = phys; firstRowLine = no; }
        if (prevPage != -1 && Long.compareUnsigned(page, prevPage) > 0 && rows < STRIDE_ROWS) pageStrides.merge(page - prevPage, 1L, Long::sum);
        if (phys >= 0 && prevPhys >= 0 && phys > prevPhys && rows < STRIDE_ROWS) physStrides.merge(phys - prevPhys, 1L, Long::sum);
        prevPage = page;
        prevPhys = phys;
    }

    String classifyLru(long v, long page) { return LRU_CLASSES[lruCode(v, page)]; }

    int lruCode(long v, long page) {
        if ((v & 1) == 1 && evenDeltas) return LRU_TAIL; // no poison value is odd: the checks below could not match
        if (v == 0) return LRU_ZERO;
        for (long d : poisonDeltas) {
            if (v == d + 0x100 || v == d + 0x00100100L) return LRU_POISON1;
            if (v == d + 0x40) return LRU_PAGE_POOL; // PP_SIGNATURE, include/linux/poison.h
        }
        if ((v & 1) == 1) return LRU_TAIL; // compound_head | 1 overlays lru.next
        if (page != -1 && v - page >= 0 && v - page < 0x40) return LRU_SELF; // empty list_head pointing at itself
        for (long d : poisonDeltas) if (d != 0 && v >= d && v - d < 0x10000) return LRU_POISON;
        return LRU_POINTER;
    }

    String classifyMapping(long v) { return MAP_CLASSES[mapCode(v)]; }

    int mapCode(long v) {
        if (v == 0) return MAP_NULL;
        for (long d : poisonDeltas) if (d != 0 && v >= d && v - d < 0x10000) return MAP_POISON; // e.g. TAIL_MAPPING
        if ((v & 3) == 3) return MAP_KSM;
        if ((v & 1) == 1) return MAP_ANON;
        if ((v & 2) == 2) return MAP_MOVABLE;
        return MAP_POINTER;
    }

    private static String classifyOther(String raw) {
        if (raw == null) return "";
        if (raw.matches("[0-9a-f]{16}")) {
            long v = Units.parseHex(raw);
            return v == 0 ? "0" : Long.compareUnsigned(v, 1L << 20) < 0 ? Units.hex(v) : "POINTER";
        }
        return raw;
    }

    /** The file group of a key, created on its first row; past {@code max_groups} new keys pool into OVERFLOW. */
    private Acc group(int lruCode, long lruValue, long pageFlags, int mapCode, long mapValue, long mapcount,
                      long refcount, Map<String, String> others, String names, long no) {
        Acc probe = new Acc(lruCode, lruValue, pageFlags, mapCode, mapValue, mapcount, refcount, others, names);
        String key = probe.key();
        Acc g = groups.get(key);
        if (g == null) {
            if (groups.size() >= maxGroups) {
                if (overflow == null) {
                    overflow = new Acc(LRU_NONE, 0, -1, MAP_NONE, 0, PageGroup.ABSENT, -1, Map.of(), null);
                    sink.diagnostic(section.file(), no, "warning", "more than " + maxGroups + " distinct page groups; further groups are pooled as OVERFLOW");
                }
                return overflow;
            }
            g = names != null ? new Acc(lruCode, lruValue, pageFlags, mapCode, mapValue, mapcount, refcount, Map.of("names", names), null) : probe;
            groups.put(key, g);
        }
        return g;
    }

    private void add(Acc g, long page, long high, long count, long no) {
        g.pages += count;
        g.firstLine = Math.min(g.firstLine, no);
        g.lastLine = Math.max(g.lastLine, no);
        g.high.add(high, count, MAX_HIGH);
        example(g, page, no);
    }

    private void example(Acc g, long page, long no) {
        if (g.examples.size() < maxExamples) {
            if (page != -1) g.examples.add(page);
            if (g.exampleLines.size() < maxExamples) g.exampleLines.add(no);
        }
    }

    @Override public void end(long lastLine) {
        String table = isKmemP() ? "kmem -p" : "kmem -m";
        List<Acc> all = new ArrayList<>(groups.values());
        if (overflow != null) all.add(overflow);
        for (Acc g : all) {
            String lruClass = g == overflow ? "OVERFLOW" : g.lruClass;
            sink.fact(new PageGroup(table, lruClass, g.lruValue, g.pageFlags, g.mappingClass, g.mappingValue, g.mapcount,
                    g.refcount, Map.copyOf(g.others), g.pages, g.tails, Map.copyOf(g.high.toMap()), List.copyOf(g.examples),
                    List.copyOf(g.exampleLines), section.span(g.firstLine, g.lastLine)));
        }
        Long stride = dominant(pageStrides);
        if (stride != null && stride >= 32 && stride <= 256) {
            sink.fact(new HostFact("struct_page_size", Long.toString(stride),
                    "consecutive PAGE addresses of " + section.baseCommand() + " are " + Units.hex(stride) + " apart",
                    section.span(firstRowLine, firstRowLine + 1)));
        }
        Long ps = dominant(physStrides);
        if (ps != null && Units.isPowerOfTwo(ps) && ps >= 4096) {
            sink.fact(new HostFact("page_size", Long.toString(ps),
                    "consecutive PHYSICAL addresses of kmem -p are " + Units.hex(ps) + " apart", section.span(firstRowLine, firstRowLine + 1)));
            if (firstPhys == 0)
                sink.fact(new HostFact("mem_map_base", Units.hex(firstPage), "kmem -p: the struct page of physical address 0",
                        section.span(firstRowLine, firstRowLine)));
        }
    }

    private static Long dominant(Map<Long, Long> strides) {
        Long best = null;
        long n = 0, total = 0;
        for (var e : strides.entrySet()) {
            total += e.getValue();
            if (e.getValue() > n) { n = e.getValue(); best = e.getKey(); }
        }
        return total >= 2 && n * 2 > total ? best : null;
    }

    // ------------------------------------------------------------------------------------------------
    // Chunks: the rows of a big table read in parallel, merged in file order.

    /**
     * True when rows can be read in chunks: the columns are known, so a row's meaning no longer
     * depends on the lines before it (a line that could change that, anything not starting with
     * a number, ends a chunk and is read in order).
     */
    boolean chunkable() { return members != null; }

    /** What one chunk of rows adds up to, with line numbers counted from the chunk's first line (1). */
    static final int OUT_NONE = 0, OUT_TAIL = 1, OUT_GROUP = 2;

    static final class Chunk {
        long lines;
        /** Byte offset of the line that stopped the chunk (not a row: a prompt, a header), or -1 when it read to its end. */
        int stopAt = -1;
        final List<Acc> order = new ArrayList<>();
        Acc[] table = new Acc[64];
        final Map<String, Acc> slow = new HashMap<>();
        // leading compound tails, before any head in the chunk: they belong to the head before the chunk if it is theirs
        final List<Acc> pending = new ArrayList<>();
        final List<Long> pendingLru = new ArrayList<>();
        final Map<String, Integer> pendingIndex = new HashMap<>();
        Acc lastPending, lastGroup;
        long lastPendingLru;
        /** What happened to the last row: OUT_TAIL (counted with its head), OUT_GROUP (added to outcomeGroup), or neither. */
        int outcome;
        Acc outcomeGroup;
        boolean seenHead;
        long lastHeadAddr = -1;
        Acc lastHeadGroup;
        // the first tracked rows (for strides) and how many there were
        long tracked;
        long[] tPage = new long[0], tPhys = new long[0], tLine = new long[0];
        int nTracked;
        // lines not understood
        long skipped;
        final List<Long> skippedLines = new ArrayList<>();
        final List<String> skippedText = new ArrayList<>();
    }

    private static final byte[] HEXVAL = new byte[256];
    static {
        java.util.Arrays.fill(HEXVAL, (byte) -1);
        for (int i = 0; i < 10; i++) HEXVAL['0' + i] = (byte) i;
        for (int i = 0; i < 6; i++) {
            HEXVAL['a' + i] = (byte) (10 + i);
            HEXVAL['A' + i] = (byte) (10 + i);
        }
    }

    /**
     * Aggregates the lines of {@code buf[from, to)} (whole lines; the last may lack its end) on
     * their own. Stops at the first line that is not a row or blank: that one must be read in
     * file order ({@link Chunk#stopAt}). Thread-safe: touches nothing but the chunk.
     */
    Chunk chunk(byte[] buf, int from, int to) {
        Chunk c = new Chunk();
        Scan sc = new Scan(members.size() + 3);
        Row r = new Row();
        int[] layout = layout();
        long[] vals = new long[members.size() + 1];
        int[] at = new int[members.size() + 1];
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
                if (pos + 16 + len <= to && sameBytes(buf, restAt, pos + 16, len)) {
                    long hi = hex8((long) LONG_LE.get(buf, pos)), lo = hex8((long) LONG_LE.get(buf, pos + 8));
                    if ((hi | lo) >= 0 && again(c, hi << 32 | lo, lru, code, high, no)) {
                        restAt = pos + 16;
                        pos += 16 + len;
                        restEnd = pos;
                        continue;
                    }
                }
            }
            int next = layout == null ? -1 : layoutRow(buf, pos, to, layout, iLru, vals, at);
            if (next >= 0 && layoutAccept(c, r, buf, layout, vals, at, no)) {
                // a row the next may repeat: one that ends with LF (a lone CR might be half of a CRLF)
                boolean lf = buf[next - 1] == '\n';
                restAt = lf ? pos + 16 : -1;
                restEnd = lf ? next : -1;
                lru = iLru >= 0 ? vals[1 + iLru] : 0;
                code = iLru >= 0 ? lruCode(lru, vals[0]) : LRU_NONE;
                high = iFlags >= 0 ? vals[1 + iFlags] & ~pageFlagMask : 0;
                pos = next;
                continue;
            }
            restEnd = -1;
            next = scan(buf, pos, to, sc);
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

    private static final int COL_HEX16 = 1, COL_HEX8 = 2, COL_DEC = 3;

    /**
     * The columns of a kmem -m row exactly as crash prints them, two spaces apart: PAGE, lru.next,
     * flags and mapping as %016lx, _mapcount as %d, _refcount last as %08x. Null when the members
     * are others (or _refcount is not last, so it is glued to the next column): such rows are
     * only read the general way.
     */
    private int[] layout() {
        if (isKmemP() || !hasPageColumn || iOthers.length > 0) return null;
        int n = members.size();
        int[] kinds = new int[n];
        for (int i = 0; i < n; i++) {
            String m = members.get(i);
            if (m.equals("lru.next") || m.equals("flags") || m.equals("mapping")) kinds[i] = COL_HEX16;
            else if (m.equals("_mapcount")) kinds[i] = COL_DEC;
            else if (m.equals("_refcount") && i == n - 1) kinds[i] = COL_HEX8;
            else return null;
        }
        return kinds;
    }

    /**
     * Checks that a line is laid out exactly as {@link #layout} says and reads PAGE and lru.next
     * (into vals[0], vals[1 + iLru]; the other columns' offsets into {@code at}), eight bytes at a
     * time; -1 when the line is laid out otherwise, and the general way ({@link #scan},
     * {@link #fastM}, {@link #rowM}) reads it. A line it accepts has the tokens the general way
     * would find. Returns the next line's start.
     */
    private static int layoutRow(byte[] b, int pos, int to, int[] kinds, int lruCol, long[] vals, int[] at) {
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
     * Adds a row checked by {@link #layoutRow}: a tail of the head just read is only counted (as
     * {@link #accept} does), other rows have their columns read now. False when a column is not a
     * plain number: the general way must read the line.
     */
    private boolean layoutAccept(Chunk c, Row r, byte[] b, int[] kinds, long[] vals, int[] at, long no) {
        long page = vals[0];
        r.lruValue = 0;
        r.lruCode = LRU_NONE;
        if (iLru >= 0) {
            long lru = vals[1 + iLru];
            int code = lruCode(lru, page);
            if (code == LRU_TAIL && c.seenHead && c.lastHeadGroup != null && lru - 1 == c.lastHeadAddr) {
                c.lastHeadGroup.tails++;
                chunkTrack(c, page, -1, no);
                c.outcome = OUT_TAIL;
                return true;
            }
            r.lruValue = lru;
            r.lruCode = code;
        }
        for (int k = 0; k < kinds.length; k++) {
            if (k == iLru) continue;
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
        r.kmemP = false;
        r.bad = false;
        r.count = 1;
        r.page = page;
        r.hasFlags = iFlags >= 0;
        r.flags = r.hasFlags ? vals[1 + iFlags] : 0;
        if (iMapping >= 0) {
            r.mapValue = vals[1 + iMapping];
            r.mapCode = mapCode(r.mapValue);
        } else {
            r.mapValue = 0;
            r.mapCode = MAP_NONE;
        }
        r.mapcount = iMapcount >= 0 ? vals[1 + iMapcount] : PageGroup.ABSENT;
        r.refcount = iRefcount >= 0 ? vals[1 + iRefcount] : -1;
        r.others = NO_OTHERS;
        r.names = null;
        chunkAccept(c, r, no, null);
        return true;
    }

    private static boolean sameBytes(byte[] b, int x, int y, int len) {
        int i = 0;
        for (; i + 8 <= len; i += 8) if ((long) LONG_LE.get(b, x + i) != (long) LONG_LE.get(b, y + i)) return false;
        for (; i < len; i++) if (b[x + i] != b[y + i]) return false;
        return true;
    }

    /**
     * A row equal to the previous one but for PAGE: adds it as that one was added (a tail to the same
     * head, or a page to the same group), if its lru.next class is the same with this PAGE. False:
     * read it in full.
     */
    private boolean again(Chunk c, long page, long lru, int prevCode, long high, long no) {
        int code = iLru >= 0 ? lruCode(lru, page) : LRU_NONE;
        if (code != prevCode) return false;
        if (c.outcome == OUT_TAIL) {
            if (!(c.seenHead && c.lastHeadGroup != null && lru - 1 == c.lastHeadAddr)) return false;
            c.lastHeadGroup.tails++;
            chunkTrack(c, page, -1, no);
            return true;
        }
        if (c.outcome != OUT_GROUP) return false;
        Acc g = c.outcomeGroup;
        if (code == LRU_TAIL && (!c.seenHead || c.lastHeadGroup != null && lru - 1 == c.lastHeadAddr)) return false;
        chunkAdd(g, page, high, 1, no);
        if (code != LRU_TAIL) {
            c.lastHeadAddr = page;
            c.lastHeadGroup = g;
            c.seenHead = true;
        }
        chunkTrack(c, page, -1, no);
        return true;
    }

    /** Where one line's tokens are. */
    private static final class Scan {
        final int[] ts, te;
        final long[] v = new long[1];
        int end, nt;
        boolean ascii;

        Scan(int max) {
            ts = new int[max];
            te = new int[max];
        }
    }

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    /**
     * Finds the line at {@code pos}: its end, and its tokens (split at bytes up to ' '). Returns the
     * next line's start. Token ends are found eight bytes at a time (a byte below 0x21 in a word).
     */
    private static int scan(byte[] buf, int pos, int to, Scan sc) {
        int[] ts = sc.ts, te = sc.te;
        int max = ts.length, nt = 0, i = pos;
        boolean ascii = true;
        while (true) {
            int b = 0;
            while (i < to) {
                b = buf[i];
                if (b < 0 || b > ' ' || b == '\n' || b == '\r') break;
                i++;
            }
            if (i >= to || b == '\n' || b == '\r') break;
            if (nt < max) ts[nt] = i;
            boolean found = false;
            while (i + 8 <= to) {
                long x = (long) LONG_LE.get(buf, i);
                if ((x & HIGH_BITS) != 0) break;
                long sep = ~(x + 0x5f5f5f5f5f5f5f5fL) & HIGH_BITS; // bytes below 0x21
                if (sep != 0) {
                    i += Long.numberOfTrailingZeros(sep) >>> 3;
                    found = true;
                    break;
                }
                i += 8;
            }
            if (!found) {
                while (i < to) {
                    b = buf[i];
                    if (b >= 0 && b <= ' ') break;
                    if (b < 0) ascii = false;
                    i++;
                }
            }
            if (nt < max) te[nt] = i;
            nt++;
        }
        sc.end = i;
        sc.nt = nt;
        sc.ascii = ascii && nt <= max;
        if (i < to) i += buf[i] == '\r' && i + 1 < to && buf[i + 1] == '\n' ? 2 : 1;
        return i;
    }

    /** Eight ASCII hex digits (the first in the lowest byte) as a number, or -1 if they are not all hex digits. */
    static long hex8(long x) {
        if ((x & HIGH_BITS) != 0) return -1;
        long t = x | 0x2020202020202020L; // A-F as a-f; digits keep their value
        long digit = (t + 0x5050505050505050L) & ~(t + 0x4646464646464646L); // 0x30..0x39
        long alpha = (t + 0x1f1f1f1f1f1f1f1fL) & ~(t + 0x1919191919191919L); // 0x61..0x66
        if (((digit | alpha) & HIGH_BITS) != HIGH_BITS) return -1;
        long n = (t & 0x0f0f0f0f0f0f0f0fL) + 9 * ((t >>> 6) & 0x0101010101010101L);
        n = Long.reverseBytes(n);
        n = (n | (n >>> 4)) & 0x00ff00ff00ff00ffL;
        n = (n | (n >>> 8)) & 0x0000ffff0000ffffL;
        return (n | (n >>> 16)) & 0xffffffffL;
    }

    /** Adds one line to the chunk; false when it is not a row (it stops the chunk). */
    private boolean row(Chunk c, byte[] buf, int pos, Scan sc, Row r, long no) {
        if (sc.ascii) {
            if (sc.nt == 0) return true; // blank
            if (isKmemP() ? fastP(buf, sc, r) : fastM(buf, sc, r, c, no)) {
                if (r.count > 0) chunkAccept(c, r, no, null);
                return true;
            }
            if (!numberToken(buf, sc.ts[0], sc.te[0])) return false;
        }
        // anything unusual is read the String way, as line() does
        String text = new String(buf, pos, sc.end - pos, StandardCharsets.UTF_8);
        String[] tok = tokens(text);
        if (tok.length == 0) return true;
        if (!isNumber(tok[0])) return false;
        try {
            if (isKmemP()) rowP(tok, r); else rowM(tok, r);
            r.names = null;
        } catch (RuntimeException e) {
            chunkSkipped(c, no, text);
            return true;
        }
        return chunkAccept(c, r, no, text);
    }

    private static void chunkSkipped(Chunk c, long no, String text) {
        c.skipped++;
        if (c.skippedLines.size() < 3) {
            c.skippedLines.add(no);
            c.skippedText.add(text);
        }
    }

    private static boolean numberToken(byte[] b, int s, int e) {
        int i = b[s] == '-' ? s + 1 : s;
        if (i == e) return false;
        for (; i < e; i++) if (HEXVAL[b[i] & 0xff] < 0) return false;
        return true;
    }

    /** An unsigned hex number of 1-16 digits into out[0]; false if it is not one (the String route decides). */
    private static boolean hex(byte[] b, int s, int e, long[] out) {
        int n = e - s;
        if (n == 16 && s + 16 <= b.length) {
            long hi = hex8((long) LONG_LE.get(b, s)), lo = hex8((long) LONG_LE.get(b, s + 8));
            if ((hi | lo) < 0) return false;
            out[0] = hi << 32 | lo;
            return true;
        }
        if (n == 8 && s + 8 <= b.length) {
            long v = hex8((long) LONG_LE.get(b, s));
            if (v < 0) return false;
            out[0] = v;
            return true;
        }
        if (n < 1 || n > 16) return false;
        long v = 0;
        for (int i = s; i < e; i++) {
            int d = HEXVAL[b[i] & 0xff];
            if (d < 0) return false;
            v = v << 4 | d;
        }
        out[0] = v;
        return true;
    }

    private static boolean decimal(byte[] b, int s, int e, long[] out) {
        boolean neg = b[s] == '-';
        int i = neg ? s + 1 : s;
        if (i == e || e - i > 18) return false;
        long v = 0;
        for (; i < e; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return false;
            v = v * 10 + d;
        }
        out[0] = neg ? -v : v;
        return true;
    }

    /** A kmem -m row with the PAGE column and exactly the expected columns, plain numbers only; false: use the String route. */
    private boolean fastM(byte[] b, Scan sc, Row r, Chunk c, long no) {
        int n = members.size();
        int[] ts = sc.ts, te = sc.te;
        if (!hasPageColumn || iOthers.length > 0 || sc.nt != n + 1) return false;
        long[] v = sc.v;
        if (!hex(b, ts[0], te[0], v)) return false;
        r.kmemP = false;
        r.count = 1;
        r.page = v[0];
        r.lruCode = LRU_NONE;
        r.lruValue = 0;
        if (iLru >= 0) {
            if (!hex(b, ts[1 + iLru], te[1 + iLru], v)) return false;
            r.lruValue = v[0];
            r.lruCode = lruCode(r.lruValue, r.page);
            if (r.lruCode == LRU_TAIL && c.seenHead && c.lastHeadGroup != null && r.lruValue - 1 == c.lastHeadAddr) {
                // a tail of the head just read: counted with it, its other columns unread (as line() does)
                c.lastHeadGroup.tails++;
                chunkTrack(c, r.page, -1, no);
                r.count = 0;
                return true;
            }
        }
        r.bad = false;
        r.hasFlags = iFlags >= 0;
        r.flags = 0;
        if (r.hasFlags) {
            if (!hex(b, ts[1 + iFlags], te[1 + iFlags], v)) return false;
            r.flags = v[0];
        }
        r.mapCode = MAP_NONE;
        r.mapValue = 0;
        if (iMapping >= 0) {
            if (!hex(b, ts[1 + iMapping], te[1 + iMapping], v)) return false;
            r.mapValue = v[0];
            r.mapCode = mapCode(r.mapValue);
        }
        r.mapcount = PageGroup.ABSENT;
        if (iMapcount >= 0) {
            if (!decimal(b, ts[1 + iMapcount], te[1 + iMapcount], v)) return false;
            r.mapcount = v[0];
        }
        r.refcount = -1;
        if (iRefcount >= 0) {
            int s = ts[1 + iRefcount], e = te[1 + iRefcount];
            if (e - s > 15 || !hex(b, s, e, v)) return false; // 16 digits may not fit a signed long: String route
            r.refcount = v[0];
        }
        r.others = NO_OTHERS;
        r.names = null;
        return true;
    }

    /** A kmem -p row with at most one names column, plain numbers only; false: use the String route. */
    private boolean fastP(byte[] b, Scan sc, Row r) {
        int nt = sc.nt;
        int[] ts = sc.ts, te = sc.te;
        if (nt != 6 && nt != 7) return false;
        long[] v = sc.v;
        r.kmemP = true;
        r.bad = false;
        r.count = 1;
        if (!hex(b, ts[0], te[0], v)) return false;
        r.page = v[0];
        if (!hex(b, ts[1], te[1], v)) return false;
        r.phys = v[0];
        if (b[ts[2]] == '-') {
            r.mapValue = 0;
            r.mapCode = MAP_INVALID;
        } else {
            if (!hex(b, ts[2], te[2], v)) return false;
            r.mapValue = v[0];
            r.mapCode = mapCode(r.mapValue);
        }
        if (!decimal(b, ts[4], te[4], v)) return false;
        r.refcount = v[0];
        if (!hex(b, ts[5], te[5], v)) return false;
        r.flags = v[0];
        r.hasFlags = true;
        r.lruCode = LRU_NONE;
        r.lruValue = 0;
        r.mapcount = PageGroup.ABSENT;
        r.others = NO_OTHERS;
        r.names = nt == 7 ? names(b, ts[6], te[6]) : null;
        return true;
    }

    /** kmem -p flag names: a few distinct strings, made once per chunk thread. */
    private final ThreadLocal<Map<String, String>> nameCache = ThreadLocal.withInitial(HashMap::new);

    private String names(byte[] b, int s, int e) {
        String t = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        Map<String, String> m = nameCache.get();
        String hit = m.get(t);
        if (hit != null) return hit;
        if (m.size() < 4096) m.put(t, t);
        return t;
    }

    /**
     * Adds a row to a chunk: the same steps as {@link #accept}, with the head before the chunk left
     * open. False when the row can only be read in order (a leading tail whose other columns are bad).
     */
    private boolean chunkAccept(Chunk c, Row r, long no, String text) {
        c.outcome = OUT_NONE;
        if (r.kmemP && r.names == null && r.others.size() == 1 && r.others.containsKey("names")) {
            // a kmem -p row read the String way joins the rows of the fast way: one chunk group per key
            r.names = r.others.get("names");
            r.others = NO_OTHERS;
        }
        if (!r.kmemP && r.tail() && r.page != -1) {
            if (!c.seenHead) {
                // its head, if any, is before the chunk: keep it apart, decided at the merge
                if (r.bad) return false;
                Acc p = pendingGroup(c, r);
                chunkAdd(p, r.page, r.high(pageFlagMask), r.count, no);
                chunkTrack(c, r.page, -1, no);
                return true;
            }
            if (c.lastHeadGroup != null && r.lruValue - 1 == c.lastHeadAddr) {
                c.lastHeadGroup.tails += r.count;
                chunkTrack(c, r.page, -1, no);
                c.outcome = OUT_TAIL;
                return true;
            }
        }
        if (r.bad) {
            chunkSkipped(c, no, text);
            return true;
        }
        Acc g = chunkGroup(c, r);
        chunkAdd(g, r.page, r.high(pageFlagMask), r.count, no);
        c.outcome = OUT_GROUP;
        c.outcomeGroup = g;
        if (!r.kmemP && !r.tail()) {
            c.lastHeadAddr = r.page;
            c.lastHeadGroup = g;
            c.seenHead = true;
        }
        chunkTrack(c, r.page, r.kmemP ? r.phys : -1, no);
        return true;
    }

    private Acc chunkGroup(Chunk c, Row r) {
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
        Acc g = new Acc(r.lruCode, kl, kf, r.mapCode, km, r.mapcount, r.refcount, NO_OTHERS, r.names);
        g.hash = h;
        g.next = c.table[slot];
        c.table[slot] = g;
        c.order.add(g);
        if (c.order.size() > c.table.length) rehash(c);
        return c.lastGroup = g;
    }

    private static void rehash(Chunk c) {
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

    private Acc pendingGroup(Chunk c, Row r) {
        long kl = r.keyLru(), kf = r.keyFlags(pageFlagMask), km = r.keyMap();
        if (c.lastPending != null && c.lastPendingLru == r.lruValue && r.others.isEmpty() && c.lastPending.others.isEmpty()
                && same(c.lastPending, r.lruCode, kl, kf, r.mapCode, km, r.mapcount, r.refcount, r.names))
            return c.lastPending; // the tails of one head come in a run
        Acc probe = new Acc(r.lruCode, kl, kf, r.mapCode, km, r.mapcount, r.refcount, r.others, r.names);
        String k = r.lruValue + "#" + probe.key();
        Integer i = c.pendingIndex.get(k);
        Acc p;
        if (i != null) {
            p = c.pending.get(i);
        } else {
            c.pendingIndex.put(k, c.pending.size());
            c.pending.add(probe);
            c.pendingLru.add(r.lruValue);
            p = probe;
        }
        c.lastPending = p;
        c.lastPendingLru = r.lruValue;
        return p;
    }

    private static boolean same(Acc g, int lru, long kl, long kf, int map, long km, long mc, long rc, String names) {
        return g.lruCode == lru && g.lruValue == kl && g.pageFlags == kf && g.mapCode == map && g.mappingValue == km
                && g.mapcount == mc && g.refcount == rc && java.util.Objects.equals(g.names, names);
    }

    private void chunkAdd(Acc g, long page, long high, long count, long no) {
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

    private static void chunkTrack(Chunk c, long page, long phys, long no) {
        if (page == -1) return;
        c.tracked++;
        if (c.nTracked < STRIDE_ROWS) {
            if (c.nTracked == c.tPage.length) {
                int n = Math.max(64, c.tPage.length * 2);
                c.tPage = java.util.Arrays.copyOf(c.tPage, n);
                c.tPhys = java.util.Arrays.copyOf(c.tPhys, n);
                c.tLine = java.util.Arrays.copyOf(c.tLine, n);
            }
            c.tPage[c.nTracked] = page;
            c.tPhys[c.nTracked] = phys;
            c.tLine[c.nTracked] = no;
            c.nTracked++;
        }
    }

    /**
     * False when merging the chunk could not give what reading its rows in order gives: when new
     * groups would pass {@code max_groups} (rows of several keys then pool into one OVERFLOW group,
     * in row order), or when leading tails of different heads would land in one group. The chunk
     * must then be read line by line. Rare: a table with more groups than the limit, a dump cut
     * between heads.
     */
    boolean mergeable(Chunk c) {
        java.util.Set<String> fresh = new java.util.HashSet<>();
        java.util.Set<String> pendingKeys = new java.util.HashSet<>();
        for (int i = 0; i < c.pending.size(); i++) {
            if (lastHeadGroup != null && c.pendingLru.get(i) - 1 == lastHeadAddr) continue;
            String k = c.pending.get(i).key();
            if (!pendingKeys.add(k)) return false;
            if (!groups.containsKey(k)) fresh.add(k);
        }
        for (Acc g : c.order) if (!groups.containsKey(g.key())) fresh.add(g.key());
        return groups.size() + fresh.size() <= maxGroups;
    }

    /** Adds a chunk to the file's groups; its line numbers are offset by {@code base} (the lines before it). */
    void merge(Chunk c, long base) {
        // 1. the leading tails: the head before the chunk's, or rows of their own
        for (int i = 0; i < c.pending.size(); i++) {
            Acc p = c.pending.get(i);
            if (lastHeadGroup != null && c.pendingLru.get(i) - 1 == lastHeadAddr) lastHeadGroup.tails += p.pages;
            else mergeGroup(p, base);
        }
        // 2. the chunk's groups, in order of their first row
        for (Acc g : c.order) mergeGroup(g, base);
        if (c.seenHead) {
            lastHeadAddr = c.lastHeadAddr;
            lastHeadGroup = c.lastHeadGroup == null ? null : c.lastHeadGroup.merged;
        }
        // 3. strides from the first rows of the file
        if (!reordered) {
            for (int i = 0; i < c.nTracked; i++) track(c.tPage[i], c.tPhys[i], base + c.tLine[i]);
            rows += c.tracked - c.nTracked;
        }
        // 4. lines not understood
        for (int i = 0; i < c.skippedLines.size(); i++) sink.skipped(section.file(), base + c.skippedLines.get(i), c.skippedText.get(i));
        sink.stats(section.file()).skipped += c.skipped - c.skippedLines.size();
    }

    private void mergeGroup(Acc cg, long base) {
        Acc g = group(cg.lruCode, cg.lruValue, cg.pageFlags, cg.mapCode, cg.mappingValue, cg.mapcount, cg.refcount, cg.others, cg.names,
                base + cg.firstLine);
        cg.merged = g;
        g.pages += cg.pages;
        g.tails += cg.tails;
        g.firstLine = Math.min(g.firstLine, base + cg.firstLine);
        g.lastLine = Math.max(g.lastLine, base + cg.lastLine);
        for (int i = 0; i < cg.high.size; i++) g.high.add(cg.high.keys[i], cg.high.counts[i], MAX_HIGH);
        for (int i = 0; i < cg.nEvents; i++) example(g, cg.events[2 * i], base + cg.events[2 * i + 1]);
    }
}
