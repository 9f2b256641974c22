package dev.leakdx.rules;

import dev.leakdx.engine.BudgetEntry;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.Finding;
import dev.leakdx.facts.MemCounter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/budget.drl, one test per rule, with founding case 1's kmem -i (64 KiB pages). */
class BudgetRulesTest {
    static final long P = 65536;
    final MemCounter total = kmemI("TOTAL MEM", 8_362_460, P, 18);
    final MemCounter free = kmemI("FREE", 29, P, 19);
    final MemCounter shared = kmemI("SHARED", 666_625, P, 21);
    final MemCounter buffers = kmemI("BUFFERS", 0, P, 22);
    final MemCounter cached = kmemI("CACHED", 1_328, P, 23);
    final MemCounter slab = kmemI("SLAB", 20_234, P, 24);
    final MemCounter huge = kmemI("TOTAL HUGE", 7_651_328, P, 26);

    @Test void totalIsTheWholeBudget() {
        String rule = "kmem -i gives the total the budget is split from";
        Diagnoser.Result r = fire(rule, total, free);
        BudgetEntry b = one(r, BudgetEntry.class);
        assertEquals("total", b.kind());
        assertEquals(8_362_460L * P, b.bytes());
        derivedFrom(r, b, rule, total);
    }

    @Test void disjointLinesArePartsButSharedIsNot() {
        String rule = "Each kmem -i line that is a disjoint share of TOTAL MEM is a budget line";
        Diagnoser.Result r = fire(rule, total, free, shared, buffers, cached, slab, huge);
        List<String> keys = budget(r).stream().map(BudgetEntry::key).sorted().toList();
        assertEquals(List.of("BUFFERS", "CACHED", "FREE", "SLAB", "TOTAL HUGE"), keys);
        assertTrue(budget(r).stream().allMatch(b -> b.kind().equals("part")));
    }

    @Test void gapIsWhatNoLineExplains() {
        String rule = "What no kmem -i line explains is the gap";
        Diagnoser.Result r = fire(rule, total, free, shared, buffers, cached, slab, huge);
        BudgetEntry gap = one(r, BudgetEntry.class);
        // 8,362,460 - 29 - 0 - 1,328 - 20,234 - 7,651,328 = 689,541 pages = 42.08 GiB
        assertEquals(689_541L * P, gap.bytes());
        assertEquals("gap", gap.kind());
        assertEquals(689_541L * P, finding(r).bytes());
        derivedFrom(r, gap, rule, total);
    }

    @Test void sharedIsAnOverlap() {
        Diagnoser.Result r = fire("SHARED is shown beside the budget, not inside it", total, shared);
        BudgetEntry b = one(r, BudgetEntry.class);
        assertEquals("overlap", b.kind());
        assertEquals(666_625L * P, b.bytes());
    }

    @Test void sharedFillsTheGapOnlyWhenClose() {
        String rule = "SHARED fills the gap no kmem -i line explains";
        Finding gap = new Finding("KMEM_I_GAP", "", 689_541L * P, "gap");
        Diagnoser.Result r = fire(rule, gap, shared);
        Finding f = finding(r);
        assertEquals("SHARED_FILLS_GAP", f.code());
        assertTrue(f.summary().contains("96.7%"), f.summary());
        // the lab baseline: SHARED 2.4 MiB against an 88 MiB gap is no match
        Diagnoser.Result r2 = fire(rule, new Finding("KMEM_I_GAP", "", 88L << 20, "gap"), kmemI("SHARED", 612, 4096, 21));
        none(r2, Finding.class);
    }

    // ---- the same budget from /proc/meminfo (lab-thp figures, kB) ----
    static MemCounter mi(String name, long kb, int line) { return new MemCounter("meminfo", name, -1, kb * 1024, at("meminfo", line)); }

    final MemCounter memTotal = mi("MemTotal", 1_995_720, 1);

    @Test void meminfoTotal() {
        BudgetEntry b = one(fire("meminfo gives the total the budget is split from", memTotal), BudgetEntry.class);
        assertEquals(1_995_720L * 1024, b.bytes());
    }

    @Test void meminfoParts() {
        Diagnoser.Result r = fire("Each meminfo counter that is a disjoint share of MemTotal is a budget line", memTotal,
                mi("MemFree", 1_612_144, 2), mi("Cached", 6504, 5), mi("Shmem", 6504, 23), mi("AnonPages", 65_752, 21));
        assertEquals(List.of("AnonPages", "Cached", "MemFree"), budget(r).stream().map(BudgetEntry::key).sorted().toList());
    }

    @Test void legacyHugetlbFromCount() {
        dev.leakdx.facts.EventCounter n = new dev.leakdx.facts.EventCounter("meminfo", "HugePages_Total", 934, at("meminfo", 45));
        BudgetEntry b = one(fire("Without a Hugetlb line, the pool is HugePages_Total huge pages of Hugepagesize", memTotal, n,
                mi("Hugepagesize", 524_288, 49)), BudgetEntry.class);
        assertEquals(934L << 29, b.bytes());
    }

    @Test void overlapsAreNotParts() {
        Diagnoser.Result r = fire("Shmem and AnonHugePages are shown inside the lines that hold them", memTotal, mi("Shmem", 6504, 23), mi("AnonHugePages", 65_536, 41));
        assertTrue(budget(r).stream().allMatch(b -> b.kind().equals("overlap")));
        assertEquals(2, budget(r).size());
    }

    @Test void meminfoGap() {
        // lab-thp: the 256 MiB of leaked THPs are in no counter
        Diagnoser.Result r = fire("What no meminfo counter explains is the gap", memTotal, mi("MemFree", 1_612_144, 2), mi("Buffers", 0, 4),
                mi("Cached", 6504, 5), mi("SwapCached", 0, 6), mi("AnonPages", 65_752, 21), mi("SReclaimable", 9308, 26), mi("SUnreclaim", 7932, 27),
                mi("KernelStack", 960, 28), mi("PageTables", 248, 29), mi("Percpu", 520, 39), mi("Hugetlb", 0, 52));
        BudgetEntry gap = one(r, BudgetEntry.class);
        assertEquals((1_995_720L - 1_612_144 - 6504 - 65_752 - 9308 - 7932 - 960 - 248 - 520) * 1024, gap.bytes());
    }

    @Test void aMissingBudgetLineIsUnknownNotZero() {
        // lab-thp's meminfo cut after PageTables (a truncated paste): no Hugetlb or HugePages lines, so no gap
        Object[] cut = {memTotal, mi("MemFree", 1_612_144, 2), mi("Buffers", 0, 4), mi("Cached", 6504, 5), mi("SwapCached", 0, 6),
                mi("AnonPages", 65_752, 21), mi("SReclaimable", 9308, 26), mi("SUnreclaim", 7932, 27), mi("KernelStack", 960, 28), mi("PageTables", 248, 29)};
        none(fire("What no meminfo counter explains is the gap", cut), BudgetEntry.class);
        Finding f = finding(fire("A meminfo without every budget line has no gap: the missing lines are unknown", cut));
        assertEquals("MEMINFO_BUDGET_INCOMPLETE", f.code());
        assertTrue(f.summary().contains("has no Hugetlb (or HugePages_Total and Hugepagesize)"), f.summary());
        // a per-node meminfo (drivers/base/node.c): FilePages instead of Buffers/Cached/SwapCached, HugePages_Total but no Hugepagesize
        Finding node = finding(fire("A meminfo without every budget line has no gap: the missing lines are unknown", memTotal, mi("MemFree", 1_612_144, 2),
                mi("FilePages", 6504, 9), mi("AnonPages", 65_752, 21), mi("SReclaimable", 9308, 26), mi("SUnreclaim", 7932, 27),
                mi("KernelStack", 960, 28), mi("PageTables", 248, 29),
                new dev.leakdx.facts.EventCounter("meminfo", "HugePages_Total", 16, at("node0/meminfo", 30))));
        assertTrue(node.summary().contains("has no Hugetlb"), "FilePages stands for Cached, Buffers, SwapCached: " + node.summary());
        assertTrue(!node.summary().contains("Cached"), node.summary());
        // a 2.4 meminfo: no SReclaimable/SUnreclaim split, no KernelStack, no PageTables
        Finding old = finding(fire("A meminfo without every budget line has no gap: the missing lines are unknown", memTotal, mi("MemFree", 1_612_144, 2),
                mi("Buffers", 0, 4), mi("Cached", 6504, 5), mi("SwapCached", 0, 6)));
        assertTrue(old.summary().contains("has no AnonPages, SReclaimable, SUnreclaim, KernelStack, PageTables"), old.summary());
    }
}
