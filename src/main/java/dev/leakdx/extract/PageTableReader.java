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
        this.kmemP = base.matches("kmem\\s+-p\\b.*") || section.command().isEmpty() && false;
        this.members = membersFromCommand(base);
    }

    static List<String> membersFromCommand(String base) {
        String[] t = base.split("\\s+");
        for (int i = 0; i + 1 < t.length; i++) {
            if (t[i].equals("-m")) return new ArrayList<>(List.of(t[i + 1].split(",")));
            if (t[i].startsWith("-m") && t[i].length() > 2 && !t[i].startsWith("-m=")) return new ArrayList<>(List.of(t[i].substring(2).split(",")));
        }
        return null;
    }

    private boolean isKmemP() { return kmemP || members != null && members.equals(KMEM_P); }

    private static final List<String> KMEM_P = List.of("PHYSICAL", "MAPPING", "INDEX", "CNT", "FLAGS");

    @Override public void line(long no, String text) {
        String s = text.strip();
        if (s.isEmpty()) return;
        String[] tok = s.split("\\s+");
        if (isHeader(tok)) return;
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

    /** A header names the columns; "PAGE PHYSICAL MAPPING ..." is kmem -p, "PAGE a b" is kmem -m, "a b" an excerpt. */
    private boolean isHeader(String[] tok) {
        if (tok[0].equals("PAGE")) {
            List<String> cols = new ArrayList<>(List.of(tok).subList(1, tok.length));
            if (cols.size() >= 5 && cols.get(0).equals("PHYSICAL") && cols.get(1).equals("MAPPING")) members = KMEM_P;
            else if (members == null) members = cols;
            hasPageColumn = true;
            return true;
        }
        boolean words = true;
        for (String t : tok) if (!t.matches("[A-Za-z_][A-Za-z0-9_.\\[\\]]*")) { words = false; break; }
        if (words && (members == null || List.of(tok).equals(members))) {
            members = new ArrayList<>(List.of(tok));
            hasPageColumn = false;
            return true;
        }
        return false;
    }

    private boolean hasPageColumn = true;

    private void rowM(long no, String[] tok) {
        int n = members.size();
        List<String> vals = new ArrayList<>(List.of(tok));
        long page = -1;
        long count = 1;
        boolean pageCol = hasPageColumn;
        // Split a _refcount glued to the next column (crash prints it as %08x without a separator).
        int ri = members.indexOf("_refcount");
        int expectNoCount = n + (pageCol ? 1 : 0);
        if (ri >= 0 && ri < n - 1 && vals.size() == expectNoCount - 1 || ri >= 0 && ri < n - 1 && vals.size() == expectNoCount) {
            int at = ri + (pageCol ? 1 : 0);
            String g = vals.get(at);
            if (g.length() > 8 && vals.size() == expectNoCount - 1) {
                vals.set(at, g.substring(0, 8));
                vals.add(at + 1, g.substring(8));
            }
        }
        if (vals.size() == expectNoCount) {
            // plain row
        } else if (!pageCol && vals.size() == n + 1) {
            // pre-aggregated excerpt: count last (awk) or first (uniq -c)
            if (vals.get(n).matches("\\d+")) count = Long.parseLong(vals.remove(n));
            else if (vals.get(0).matches("\\d+")) count = Long.parseLong(vals.remove(0));
            else throw new IllegalArgumentException("columns");
        } else if (pageCol && vals.size() == n) {
            // grep'd rows came without the header but with PAGE: fine; without PAGE: excerpt
            pageCol = false;
        } else {
            throw new IllegalArgumentException("columns");
        }
        if (pageCol) page = Units.parseHex(vals.remove(0));
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < n; i++) row.put(members.get(i), vals.get(i));

        String lruRaw = row.containsKey("lru.next") ? row.get("lru.next") : row.containsKey("lru") ? row.get("lru").split(",")[0] : null;
        String lruClass = "";
        long lruValue = 0;
        if (lruRaw != null) {
            lruValue = Units.parseHex(lruRaw);
            lruClass = classifyLru(lruValue, page);
        }
        if (lruClass.equals("TAIL") && page != -1 && lastHeadGroup != null && lruValue - 1 == lastHeadAddr) {
            lastHeadGroup.tails += count;
            track(page, -1, no);
            return;
        }
        long flags = row.containsKey("flags") ? Units.parseHex(row.get("flags")) : -1;
        String mapClass = "";
        long mapValue = 0;
        if (row.containsKey("mapping")) {
            mapValue = Units.parseHex(row.get("mapping"));
            mapClass = classifyMapping(mapValue);
        }
        long mapcount = row.containsKey("_mapcount") ? Long.parseLong(row.get("_mapcount")) : PageGroup.ABSENT;
        long refcount = row.containsKey("_refcount") ? Long.parseLong(row.get("_refcount"), 16) : -1;
        Map<String, String> others = new TreeMap<>();
        for (String m : members) {
            if (m.equals("lru.next") || m.equals("lru") || m.equals("flags") || m.equals("mapping") || m.equals("_mapcount") || m.equals("_refcount")) continue;
            others.put(m, classifyOther(row.get(m)));
        }
        Acc g = group(lruClass, lruClass.equals("POINTER") || lruClass.equals("SELF") || lruClass.equals("TAIL") ? 0 : lruValue,
                flags < 0 ? -1 : flags & pageFlagMask, mapClass,
                mapClass.equals("POISON") ? mapValue : 0, mapcount, refcount, others, no);
        add(g, page, flags < 0 ? 0 : flags & ~pageFlagMask, count, no);
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
        if (page == -1 || section.filtered()) return;
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
