package dev.leakdx.extract;

import dev.leakdx.facts.CommandRun;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.PageGroup;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * crash {@code kmem -m} and {@code kmem -p} page tables (PageTableReader): lab-pfrag leaks 4096
 * order-3 page_frag pages, each a head with _refcount 0x8000 followed by 7 tails whose lru.next
 * is head|1. Samples: a 200-row cut of the real table, the whole table (240 KB .xz), a grep'd
 * pipeline without header, a hand-built glued-_refcount layout and grouped excerpts.
 */
class KmemPageTableExtractionTest {
    private static final long FIRST_LEAKED_HEAD = 0xfffff534800c1600L;
    private static final long FLAGS_HEAD = 0x10000L; // PG_head on 6.1 (bit 16), the node/zone bits above bit 28 are split off

    private static PageGroup leaked(Samples.Result r) {
        return r.one(PageGroup.class, g -> g.refcount() == 32768);
    }

    private static long rows(Samples.Result r) {
        return r.of(PageGroup.class).stream().mapToLong(PageGroup::totalPages).sum();
    }

    @Test
    void excerptOfTheLabTableAttributesTailsToTheirHeads() {
        Samples.Result r = Samples.extract("kmem-m-pfrag-excerpt.txt");
        PageGroup g = leaked(r);
        assertEquals("kmem -m", g.table());
        assertEquals(22, g.pages(), "22 order-3 heads in rows 12355-12554 of the lab table");
        assertEquals(154, g.tailPages(), "7 tails per head");
        assertEquals(176, g.totalPages());
        assertEquals(3, g.order());
        assertEquals(8, g.pagesPerUnit());
        assertEquals("ZERO", g.lruClass(), "6.1 page_frag heads keep lru.next = 0");
        assertEquals(FLAGS_HEAD, g.pageFlags());
        assertEquals("NULL", g.mappingClass());
        assertEquals(-1, g.mapcount());
        assertEquals(List.of(FIRST_LEAKED_HEAD, 0xfffff534800c1800L, 0xfffff534800c1a00L), g.examples());
        assertEquals(List.of(27L, 35L, 43L), g.exampleLines());
        assertEquals("kmem-m-pfrag-excerpt.txt:27-195", g.provenance().cite(), "first and last head row");
        assertEquals("kmem -m lru.next,flags,mapping,_mapcount,_refcount", g.provenance().command());
        assertEquals(1, g.nodeZoneVariants());

        // the slab pages of kmalloc-64 and one other cache: mapping is a kmem_cache pointer, PG_slab (0x200)
        PageGroup slab = r.one(PageGroup.class, x -> x.pageFlags() == 0x200);
        assertEquals(12, slab.pages());
        assertEquals(0, slab.tailPages());
        assertEquals("POINTER", slab.mappingClass());
        assertEquals(1, slab.refcount());

        assertEquals(200, rows(r), "every row is a group page or an attributed tail");
        HostFact sps = r.one(HostFact.class, h -> h.key().equals("struct_page_size"));
        assertEquals("64", sps.value());
        assertEquals("kmem-m-pfrag-excerpt.txt:3-4", sps.provenance().cite());
        CommandRun run = r.one(CommandRun.class, c -> true);
        assertEquals("crash.kmem-m", run.format());
        assertEquals(201, run.lines());
        assertEquals(0, r.stats("kmem-m-pfrag-excerpt.txt").skipped);
    }

    @Test
    void fullLabTableHas4096LeakedOrder3Pages() {
        Samples.Result r = Samples.extract("kmem-m-pfrag.txt.xz");
        PageGroup g = leaked(r);
        assertEquals(4096, g.pages(), "README: NR=4096 caches, one order-3 page each");
        assertEquals(28672, g.tailPages());
        assertEquals(4096 * 8, g.totalPages(), "4096 x 32 KiB");
        assertEquals(3, g.order());
        assertTrue(g.compound());
        assertEquals(FIRST_LEAKED_HEAD, g.example(), "truth: idx 0 struct_page fffff534800c1600");
        assertEquals(12379, g.provenance().firstLine());
        assertEquals("kmem-m-pfrag.txt.xz", g.provenance().file());
        assertEquals(524288, rows(r), "2 GiB of 4 KiB pages: 524290 lines less prompt and header");
        assertEquals("64", r.one(HostFact.class, h -> h.key().equals("struct_page_size")).value());
        assertEquals(524290, r.stats("kmem-m-pfrag.txt.xz").lines);
        assertEquals(0, r.stats("kmem-m-pfrag.txt.xz").skipped);
        assertTrue(r.diagnostics().isEmpty(), r.diagnostics().toString());
    }

    @Test
    void refcountGluedToTheNextColumnIsSplit() {
        // samples/kmem-m-glued.txt is BUILT: real rows re-laid out as crash prints kmem -m _refcount,flags,...
        // (KERNEL-NOTES §3: _refcount is %08x with no separator, so "00008000" runs into flags "000fffffc0010000").
        Samples.Result glued = Samples.extract("kmem-m-glued.txt");
        PageGroup g = leaked(glued);
        assertEquals(2, g.pages());
        assertEquals(14, g.tailPages());
        assertEquals(FLAGS_HEAD, g.pageFlags(), "flags read after the glued refcount");
        assertEquals(-1, g.mapcount());
        assertEquals("NULL", g.mappingClass());
        assertEquals(List.of(11L, 19L), g.exampleLines());
        assertEquals(Set.of(0L, 1L, 32768L), glued.of(PageGroup.class).stream().map(PageGroup::refcount).collect(Collectors.toSet()));
        assertEquals(24, rows(glued));
        assertEquals(0, glued.stats("kmem-m-glued.txt").skipped);

        // the same 24 real rows in crash's own column order give the same groups
        Samples.Result plain = Samples.extract("kmem-m-unglued.txt");
        assertEquals(groupKeys(plain), groupKeys(glued));
    }

    private static Set<String> groupKeys(Samples.Result r) {
        return r.of(PageGroup.class).stream().map(g -> g.lruClass() + " flags=" + g.pageFlags() + " map=" + g.mappingClass() + " mc="
                + g.mapcount() + " ref=" + g.refcount() + " pages=" + g.pages() + " tails=" + g.tailPages() + " lines=" + g.exampleLines())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void grepdRowsWithoutHeaderTakeTheMembersFromTheCommand() {
        Samples.Result r = Samples.extract("kmem-m-grep.txt");
        PageGroup g = leaked(r);
        assertEquals(5, g.pages(), "grep -A7 | head -40: 5 heads");
        assertEquals(35, g.tailPages(), "and their 7 tails each");
        assertEquals(3, g.order());
        assertEquals(FIRST_LEAKED_HEAD, g.example());
        assertEquals(List.of(2L, 10L, 18L), g.exampleLines());
        assertEquals(1, r.of(PageGroup.class).size());
        assertTrue(r.of(HostFact.class).isEmpty(), "a filtered table says nothing about strides");
        assertEquals(0, r.stats("kmem-m-grep.txt").skipped);
        assertEquals("kmem -m lru.next,flags,mapping,_mapcount,_refcount | grep -A7 00008000$ | head -40", g.provenance().command());
    }

    @Test
    void groupedExcerptWithHeaderAndTrailingCount() {
        // samples/kmem-m-grouped.txt: header + "flags mapping _mapcount _refcount count", counted from the full lab table
        Samples.Result r = Samples.extract("kmem-m-grouped.txt");
        PageGroup g = leaked(r);
        assertEquals(4096, g.pages());
        assertEquals(0, g.tailPages(), "no PAGE column: tails cannot be attributed");
        assertEquals(FLAGS_HEAD, g.pageFlags());
        assertEquals("", g.lruClass(), "lru.next not in the excerpt");
        assertEquals(List.of(), g.examples());
        assertEquals("kmem-m-grouped.txt:7", g.provenance().cite());

        PageGroup poisoned = r.one(PageGroup.class, x -> x.mappingClass().equals("POISON"));
        assertEquals(25380, poisoned.pages());
        assertEquals(0xdead000000000400L, poisoned.mappingValue(), "TAIL_MAPPING kept as a value");
        assertEquals(453795 + 25380 + 16861 + 8235 + 4156 + 4096 + 3833 + 2131 + 891 + 842 + 511 + 451, rows(r));
        // 000fffffc0000000 and 0007ffffc0000000 differ only above the page-flag bits: one group, two node/zone values
        PageGroup free = r.one(PageGroup.class, x -> x.pages() == 453795 + 3833);
        assertEquals(2, free.nodeZoneVariants());
        assertEquals(0, r.stats("kmem-m-grouped.txt").skipped);
        assertEquals("crash.kmem-m", r.one(CommandRun.class, c -> true).format());
    }

    @Test
    void groupedUniqCountInATranscript() {
        Samples.Result r = Samples.extract("kmem-m-uniq-c.txt");
        PageGroup g = leaked(r);
        assertEquals(4096, g.pages());
        assertEquals(List.of(), g.examples(), "a count is not a struct page address");
        assertEquals(453795 + 25380 + 16861 + 8235 + 4156 + 4096 + 3833 + 2131 + 891 + 842 + 511 + 451, rows(r));
    }

    @Test
    void groupedTrailingCountInATranscript() {
        Samples.Result r = Samples.extract("kmem-m-awk-count.txt");
        assertEquals(0, r.stats("kmem-m-awk-count.txt").skipped);
        PageGroup g = leaked(r);
        assertEquals(4096, g.pages());
        assertEquals(25380, r.one(PageGroup.class, x -> x.mappingClass().equals("POISON")).pages());
    }

    @Test
    void kmemPGivesPageSizeStructPageSizeAndMemMapBase() {
        Samples.Result r = Samples.extract("kmem-p-head.txt");
        HostFact ps = r.one(HostFact.class, h -> h.key().equals("page_size"));
        assertEquals("4096", ps.value(), "PHYSICAL advances by 0x1000 a row");
        assertEquals(4096, ps.asLong());
        assertEquals("kmem-p-head.txt:3-4", ps.provenance().cite());
        HostFact sps = r.one(HostFact.class, h -> h.key().equals("struct_page_size"));
        assertEquals(64, sps.asLong(), "PAGE advances by 0x40 a row");
        HostFact base = r.one(HostFact.class, h -> h.key().equals("mem_map_base"));
        assertEquals("0xfffff53480000000", base.value());
        assertEquals("kmem-p-head.txt:3", base.provenance().cite());

        PageGroup g = r.one(PageGroup.class, x -> true);
        assertEquals("kmem -p", g.table());
        assertEquals(60, g.pages());
        assertEquals(1, g.refcount(), "CNT");
        assertEquals(0x1000, g.pageFlags(), "PG_reserved");
        assertEquals("reserved", g.otherMembers().get("names"));
        assertEquals("NULL", g.mappingClass());
        assertEquals(PageGroup.ABSENT, g.mapcount());
        assertEquals(1, g.nodeZoneVariants());
        assertEquals(List.of(0xfffff53480000000L, 0xfffff53480000040L, 0xfffff53480000080L), g.examples());
        assertEquals(0, r.stats("kmem-p-head.txt").skipped);
    }

    @Test
    void kmemPPipedThroughHeadStillGroupsItsRows() {
        Samples.Result r = Samples.extract("session-kmem-p-head.txt");
        PageGroup g = r.one(PageGroup.class, x -> true);
        assertEquals(39, g.pages(), "head -40 keeps the header and 39 rows");
        assertEquals("kmem -p | head -40", g.provenance().command());
        assertEquals("session-kmem-p-head.txt:3-41", g.provenance().cite());
        assertEquals(0, r.stats("session-kmem-p-head.txt").skipped);
    }
}
