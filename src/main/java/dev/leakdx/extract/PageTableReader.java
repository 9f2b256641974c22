package dev.leakdx.extract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.PageGroup;
import dev.leakdx.facts.Units;

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
 */
final class PageTableReader implements SectionReader {
    private final Section section;
    private final Sink sink;
    private final boolean kmemP;
    private final long[] poisonDeltas;
    private final long pageFlagMask;
    private final int maxGroups, maxExamples;

    private List<String> members;
    private final Map<String, Acc> groups = new LinkedHashMap<>();
    private Acc overflow;
    private long lastHeadAddr = -1;
    private Acc lastHeadGroup;
    // stride inference: struct page size from consecutive PAGE addresses, page size from PHYSICAL
    private long prevPage = -1, prevPhys = -1, rows;
    private final Map<Long, Long> pageStrides = new HashMap<>(), physStrides = new HashMap<>();
    private long firstPage = -1, firstPhys = -1, firstRowLine;

    private static final class Acc {
        final String lruClass, mappingClass;
        final long lruValue, pageFlags, mappingValue, mapcount, refcount;
        final Map<String, String> others;
        long pages, tails, firstLine = Long.MAX_VALUE, lastLine;
        final Map<Long, Long> high = new TreeMap<>();
        final List<Long> examples = new ArrayList<>(), exampleLines = new ArrayList<>();

        Acc(String lruClass, long lruValue, long pageFlags, String mappingClass, long mappingValue, long mapcount,
            long refcount, Map<String, String> others) {
            this.lruClass = lruClass; this.lruValue = lruValue; this.pageFlags = pageFlags; this.mappingClass = mappingClass;
            this.mappingValue = mappingValue; this.mapcount = mapcount; this.refcount = refcount; this.others = others;
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
        int bits = o.path("pageflag_bits").asInt(28);
        this.pageFlagMask = bits >= 64 ? -1L : (1L << bits) - 1;
        this.maxGroups = o.path("max_groups").asInt(200_000);
        this.maxExamples = o.path("examples").asInt(3);
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

    private boolean countFirst;

    static List<String> membersFromCommand(String base) {
        String[] t = base.split("\\s+");
        for (int i = 0; i + 1 < t.length; i++) {
            if (t[i].equals("-m")) return new ArrayList<>(List.of(t[i + 1].split(",")));
            if (t[i].startsWith("-m") && t[i].length() > 2 && !t[i].startsWith("-m=")) return new ArrayList<>(List.of(t[i].substring(2).split(",")));
        }
        return null;
    }

    private boolean isKmemP() { return kmemP || members == KMEM_P; }

    private static final List<String> KMEM_P = List.of("PHYSICAL", "MAPPING", "INDEX", "CNT", "FLAGS");

    @Override public void line(long no, String text) {
        String[] tok = tokens(text);
        if (tok.length == 0) return;
        // rows start with a hex number (PAGE, or lru.next in excerpts) or a count; only other lines can be headers
        if (!isNumber(tok[0]) && isHeader(tok)) return;
        if (members == null) {
            sink.skipped(section.file(), no, text);
            return;
        }
        try {
            if (isKmemP()) rowP(no, tok); else rowM(no, tok);
        } catch (RuntimeException e) {
            sink.skipped(section.file(), no, text);
        }
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

    private boolean hasPageColumn = true;
    private int iLru = -1, iFlags = -1, iMapping = -1, iMapcount = -1, iRefcount = -1;
    private int[] iOthers = new int[0];
    private static final Map<String, String> NO_OTHERS = Map.of();

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

    private void rowM(long no, String[] tok) {
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
        long page = pageCol ? Units.parseHex(vals[0]) : -1;

        String lruClass = "";
        long lruValue = 0;
        if (iLru >= 0) {
            String raw = vals[off + iLru];
            int comma = raw.indexOf(',');
            lruValue = Units.parseHex(comma >= 0 ? raw.substring(0, comma) : raw);
            lruClass = classifyLru(lruValue, page);
        }
        if (lruClass.equals("TAIL") && page != -1 && lastHeadGroup != null && lruValue - 1 == lastHeadAddr) {
            lastHeadGroup.tails += count;
            track(page, -1, no);
            return;
        }
        boolean hasFlags = iFlags >= 0;
        long flags = hasFlags ? Units.parseHex(vals[off + iFlags]) : 0;
        String mapClass = "";
        long mapValue = 0;
        if (iMapping >= 0) {
            mapValue = Units.parseHex(vals[off + iMapping]);
            mapClass = classifyMapping(mapValue);
        }
        long mapcount = iMapcount >= 0 ? Long.parseLong(vals[off + iMapcount]) : PageGroup.ABSENT;
        long refcount = iRefcount >= 0 ? Long.parseLong(vals[off + iRefcount], 16) : -1;
        Map<String, String> others = NO_OTHERS;
        if (iOthers.length > 0) {
            others = new TreeMap<>();
            for (int i : iOthers) others.put(members.get(i), classifyOther(vals[off + i]));
        }
        Acc g = group(lruClass, lruClass.equals("POINTER") || lruClass.equals("SELF") || lruClass.equals("TAIL") ? 0 : lruValue,
                hasFlags ? flags & pageFlagMask : -1, mapClass,
                mapClass.equals("POISON") ? mapValue : 0, mapcount, refcount, others, no);
        add(g, page, hasFlags ? flags & ~pageFlagMask : 0, count, no);
        if (!lruClass.equals("TAIL")) { lastHeadAddr = page; lastHeadGroup = g; }
        track(page, -1, no);
    }

    private void rowP(long no, String[] tok) {
        // PAGE PHYSICAL MAPPING INDEX CNT FLAGS [names]; MAPPING/INDEX may be dashes when invalid
        if (tok.length < 6) throw new IllegalArgumentException("columns");
        long page = Units.parseHex(tok[0]);
        long phys = Units.parseHex(tok[1]);
        String mapping = tok[2];
        long cnt = Long.parseLong(tok[4]);
        long flags = Units.parseHex(tok[5]);
        long mapValue = mapping.startsWith("-") ? 0 : Units.parseHex(mapping);
        String mapClass = mapping.startsWith("-") ? "INVALID" : classifyMapping(mapValue);
        Map<String, String> others = new TreeMap<>();
        if (tok.length > 6) others.put("names", String.join("", java.util.Arrays.copyOfRange(tok, 6, tok.length)));
        Acc g = group("", 0, flags & pageFlagMask, mapClass, mapClass.equals("POISON") ? mapValue : 0, PageGroup.ABSENT, cnt, others, no);
        add(g, page, flags & ~pageFlagMask, 1, no);
        track(page, phys, no);
    }

    private void track(long page, long phys, long no) {
        if (page == -1 || section.rowsReordered()) return;
        rows++;
        if (firstPage == -1) { firstPage = page; firstPhys = phys; firstRowLine = no; }
        if (prevPage != -1 && Long.compareUnsigned(page, prevPage) > 0 && rows < 4096) pageStrides.merge(page - prevPage, 1L, Long::sum);
        if (phys >= 0 && prevPhys >= 0 && phys > prevPhys && rows < 4096) physStrides.merge(phys - prevPhys, 1L, Long::sum);
        prevPage = page;
        prevPhys = phys;
    }

    String classifyLru(long v, long page) {
        if (v == 0) return "ZERO";
        for (long d : poisonDeltas) {
            if (v == d + 0x100 || v == d + 0x00100100L) return "LIST_POISON1";
            if (v == d + 0x40) return "PAGE_POOL"; // PP_SIGNATURE, include/linux/poison.h
        }
        if ((v & 1) == 1) return "TAIL"; // compound_head | 1 overlays lru.next
        if (page != -1 && v - page >= 0 && v - page < 0x40) return "SELF"; // empty list_head pointing at itself
        for (long d : poisonDeltas) if (d != 0 && v >= d && v - d < 0x10000) return "POISON";
        return "POINTER";
    }

    String classifyMapping(long v) {
        if (v == 0) return "NULL";
        for (long d : poisonDeltas) if (d != 0 && v >= d && v - d < 0x10000) return "POISON"; // e.g. TAIL_MAPPING
        if ((v & 3) == 3) return "KSM";
        if ((v & 1) == 1) return "ANON";
        if ((v & 2) == 2) return "MOVABLE";
        return "POINTER";
    }

    private static String classifyOther(String raw) {
        if (raw == null) return "";
        if (raw.matches("[0-9a-f]{16}")) {
            long v = Units.parseHex(raw);
            return v == 0 ? "0" : Long.compareUnsigned(v, 1L << 20) < 0 ? Units.hex(v) : "POINTER";
        }
        return raw;
    }

    private Acc group(String lruClass, long lruValue, long pageFlags, String mapClass, long mapValue, long mapcount,
                      long refcount, Map<String, String> others, long no) {
        String key = lruClass + '|' + lruValue + '|' + pageFlags + '|' + mapClass + '|' + mapValue + '|' + mapcount + '|' + refcount + '|' + others;
        Acc g = groups.get(key);
        if (g == null) {
            if (groups.size() >= maxGroups) {
                if (overflow == null) {
                    overflow = new Acc("OVERFLOW", 0, -1, "", 0, PageGroup.ABSENT, -1, Map.of());
                    sink.diagnostic(section.file(), no, "warning", "more than " + maxGroups + " distinct page groups; further groups are pooled as OVERFLOW");
                }
                return overflow;
            }
            g = new Acc(lruClass, lruValue, pageFlags, mapClass, mapValue, mapcount, refcount, others);
            groups.put(key, g);
        }
        return g;
    }

    private void add(Acc g, long page, long high, long count, long no) {
        g.pages += count;
        g.firstLine = Math.min(g.firstLine, no);
        g.lastLine = Math.max(g.lastLine, no);
        if (g.high.size() < 256 || g.high.containsKey(high)) g.high.merge(high, count, Long::sum);
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
            sink.fact(new PageGroup(table, g.lruClass, g.lruValue, g.pageFlags, g.mappingClass, g.mappingValue, g.mapcount,
                    g.refcount, Map.copyOf(g.others), g.pages, g.tails, Map.copyOf(g.high), List.copyOf(g.examples),
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
}
