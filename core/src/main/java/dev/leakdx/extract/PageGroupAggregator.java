package dev.leakdx.extract;

import dev.leakdx.facts.PageGroup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.leakdx.extract.PageWordClassifier.LRU_CLASSES;
import static dev.leakdx.extract.PageWordClassifier.LRU_NONE;
import static dev.leakdx.extract.PageWordClassifier.MAP_CLASSES;
import static dev.leakdx.extract.PageWordClassifier.MAP_NONE;

/**
 * The {@link PageGroup}s of one page table: rows with the same classified key (lru.next class,
 * page flags without their node/zone bits, mapping class, _mapcount, _refcount, other members)
 * add up into one group, so memory grows with the number of groups, never with the number of
 * rows; the rule engine sees groups (DESIGN.md: stream, aggregate, then reason).
 *
 * <p>Groups are kept in order of their first row, so facts come out in file order. Past
 * {@code max_groups} distinct keys new keys pool into one OVERFLOW group (and a warning says so)
 * rather than growing without bound on a table of random garbage. Each group keeps a few example
 * pages and lines (the citation) and counts its pages per node/zone value (the flags' high bits),
 * up to {@link #MAX_HIGH} values.
 */
final class PageGroupAggregator {
    /** Node/zone values kept per group; beyond this only values already seen are counted. */
    static final int MAX_HIGH = 256;

    private final Section section;
    private final Sink sink;
    private final int maxGroups, maxExamples;
    // the file's groups, in order of their first row
    private final Map<String, Acc> groups = new LinkedHashMap<>();
    private Acc overflow;

    PageGroupAggregator(Section section, Sink sink, int maxGroups, int maxExamples) {
        this.section = section;
        this.sink = sink;
        this.maxGroups = maxGroups;
        this.maxExamples = maxExamples;
    }

    int maxGroups() { return maxGroups; }

    int maxExamples() { return maxExamples; }

    int size() { return groups.size(); }

    boolean has(String key) { return groups.containsKey(key); }

    /** A group being aggregated (of the file, or of one chunk): its key, and what its rows add up to. */
    static final class Acc {
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
    static final class Highs {
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

    /** The file group of a row's key: the same arguments as {@link #group(int, long, long, int, long, long, long, Map, String, long)}. */
    Acc group(PageRow r, long pageFlagMask, long no) {
        return group(r.lruCode, r.keyLru(), r.keyFlags(pageFlagMask), r.mapCode, r.keyMap(), r.mapcount, r.refcount, r.others, null, no);
    }

    /** The file group of a key, created on its first row (line {@code no}); past {@code max_groups} new keys pool into OVERFLOW. */
    Acc group(int lruCode, long lruValue, long pageFlags, int mapCode, long mapValue, long mapcount,
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

    /** Adds {@code count} pages read at line {@code no} to a file group. */
    void add(Acc g, long page, long high, long count, long no) {
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

    /**
     * Adds a chunk's group (line numbers offset by {@code base}) to the file's groups as its rows
     * would have been added one by one: the caps and the examples are applied here, in file order.
     */
    Acc merge(Acc cg, long base) {
        Acc g = group(cg.lruCode, cg.lruValue, cg.pageFlags, cg.mapCode, cg.mappingValue, cg.mapcount, cg.refcount, cg.others, cg.names,
                base + cg.firstLine);
        cg.merged = g;
        g.pages += cg.pages;
        g.tails += cg.tails;
        g.firstLine = Math.min(g.firstLine, base + cg.firstLine);
        g.lastLine = Math.max(g.lastLine, base + cg.lastLine);
        for (int i = 0; i < cg.high.size; i++) g.high.add(cg.high.keys[i], cg.high.counts[i], MAX_HIGH);
        for (int i = 0; i < cg.nEvents; i++) example(g, cg.events[2 * i], base + cg.events[2 * i + 1]);
        return g;
    }

    /** One PageGroup fact per group, in order of first row, OVERFLOW last. */
    void emit(String table) {
        List<Acc> all = new ArrayList<>(groups.values());
        if (overflow != null) all.add(overflow);
        for (Acc g : all) {
            String lruClass = g == overflow ? "OVERFLOW" : g.lruClass;
            sink.fact(new PageGroup(table, lruClass, g.lruValue, g.pageFlags, g.mappingClass, g.mappingValue, g.mapcount,
                    g.refcount, Map.copyOf(g.others), g.pages, g.tails, Map.copyOf(g.high.toMap()), List.copyOf(g.examples),
                    List.copyOf(g.exampleLines), section.span(g.firstLine, g.lastLine)));
        }
    }
}
