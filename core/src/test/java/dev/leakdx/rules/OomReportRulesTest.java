package dev.leakdx.rules;

import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.OomReportBudget;
import dev.leakdx.facts.HugePagePool;
import dev.leakdx.facts.KernelLogEvent;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.OomKill;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules that read an OOM report's or sysrq-m's own show_mem figures (rules/oom.drl,
 * rules/stack-pagetables.drl, rules/unaccounted.drl, appended), with the figures of the real
 * pastes under cases/paste-*.
 */
class OomReportRulesTest {
    static final String MEMCG = "A memory cgroup hit its limit: the report's memcg lines without the kill line";
    static final String PT = "The OOM report's page tables hold a large share of memory";
    static final String BUDGET = "The OOM report's own budget leaves memory in no counter";
    static final String STACKS = "An OOM report that prints no kernel stacks leaves a fork storm's stacks in its gap";
    static final String SWAP = "Swap in use may be compressed in memory that no OOM report counter shows";
    static final long PS = 4096;

    static MemCounter oom(String file, int line, String name, long pages) {
        return new MemCounter("oom-meminfo", name, pages, pages * PS, at(file, line));
    }

    static MemCounter oomBytes(String file, int line, String name, long bytes) {
        return new MemCounter("oom-meminfo", name, -1, bytes, at(file, line));
    }

    static MemCounter memcg(String file, int line, String name, long kib) {
        return new MemCounter("oom-memcg", name, -1, kib * 1024, at(file, line));
    }

    // paste-oom-memcg-2.6.29-lkml-kamezawa-memsw/syslog.txt:15-17
    final KernelLogEvent limitOf = new KernelLogEvent("OOM_MEMCG_LIMIT", "/group_A", -1,
            "task in /group_A/01 killed as a result of limit of /group_A", at("syslog.txt", 15));

    @Test void memcgAtItsMemswLimitWithoutTheKillLine() {
        var r = fire(MEMCG, limitOf, memcg("syslog.txt", 16, "memory usage", 39168), memcg("syslog.txt", 16, "memory limit", 40960),
                memcg("syslog.txt", 17, "memory+swap usage", 40960), memcg("syslog.txt", 17, "memory+swap limit", 40960));
        Hypothesis h = one(r, Hypothesis.class);
        assertEquals("MEMCG_LIMIT_OOM", h.code());
        assertEquals("warning", h.severity());
        assertEquals(40960L * 1024, h.bytes());
        assertTrue(h.summary().contains("memory cgroup /group_A") && h.summary().contains("memory+swap usage had reached its limit of 40 MiB"), h.summary());
        derivedFrom(r, h, MEMCG, limitOf);
    }

    @Test void memcgUnderItsLimitAndNoKillIsNoVerdict() {
        none(fire(MEMCG, limitOf, memcg("syslog.txt", 16, "memory usage", 39168), memcg("syslog.txt", 16, "memory limit", 40960)), Hypothesis.class);
    }

    @Test void memcgFromTheSacrificeChildLine() {
        // paste-oom-memcg-3.2-lkml-hocko-apache-quoted/mail.txt:2 and :11, no 'Killed process' line
        KernelLogEvent e = new KernelLogEvent("OOM_MEMCG_LIMIT", "/1066", -1, "task in /1066/uid killed as a result of limit of /1066", at("mail.txt", 2));
        KernelLogEvent kill = new KernelLogEvent("OOM_KILLED", "apache2", -1, "killed process 1046 (apache2) score 1000 or sacrifice child", at("mail.txt", 11));
        Hypothesis h = one(fire(MEMCG, e, kill), Hypothesis.class);
        assertEquals(0, h.bytes());
        assertTrue(h.summary().contains("killed process 1046 (apache2)"), h.summary());
        // a kill after a later 'invoked oom-killer' belongs to another report
        KernelLogEvent next = new KernelLogEvent("OOM_INVOKED", "x", -1, "invoked oom-killer", at("mail.txt", 5));
        none(fire(MEMCG, e, next, kill), Hypothesis.class);
        // the memcg kill line itself is read by the OomKill rule: this one stays silent
        OomKill k = new OomKill(1046, "apache2", true, -1, -1, -1, -1, -1, at("mail.txt", 12));
        none(fire(MEMCG, e, kill, k), Hypothesis.class);
    }

    // paste-oom-2.6.31-lkml-wu-msgctl11/mail.txt, second report
    final MemCounter wuPt = oom("mail.txt", 100, "pagetables", 59_427);
    final MemCounter wuRam = oom("mail.txt", 115, "pages RAM", 262_144);
    final MemCounter wuRes = oom("mail.txt", 116, "pages reserved", 12_513);

    @Test void pageTablesOfTheOomReport() {
        Hypothesis h = one(fire(PT, oom("mail.txt", 44, "pagetables", 66_918), wuPt, oom("mail.txt", 62, "pages RAM", 262_144), wuRam, wuRes),
                Hypothesis.class);
        assertEquals("KERNEL_STACK_OR_PAGETABLES", h.code());
        assertEquals("page tables", h.subject());
        assertEquals(59_427L * PS, h.bytes());                 // the last report's figure, not the first's
        assertEquals("critical", h.severity());                // 23.8% of 249,631 pages: over the 20% critical share
        assertTrue(h.summary().contains("23.8%") && h.summary().contains("norms.yaml"), h.summary());
        // meminfo's PageTables has its own rule
        none(fire(PT, wuPt, wuRam, wuRes, new MemCounter("meminfo", "PageTables", -1, 1L << 20, at("meminfo", 20))), Hypothesis.class);
        // sysrq-m of bug 12832: 821 pages of page tables is healthy
        none(fire(PT, oom("sysrq-m.txt", 34, "pagetables", 821), oom("sysrq-m.txt", 46, "pages RAM", 131_056),
                oom("sysrq-m.txt", 47, "pages reserved", 4_046)), Hypothesis.class);
    }

    /** paste-oom-6.1-netdev-fec-page-pool-arm64/dmesg.txt:64-87. */
    List<Object> fec() {
        String f = "dmesg.txt";
        return List.of(oom(f, 64, "active_anon", 342), oom(f, 64, "inactive_anon", 10_343), oom(f, 64, "isolated_anon", 0),
                oom(f, 65, "active_file", 54), oom(f, 65, "inactive_file", 112), oom(f, 65, "isolated_file", 0), oom(f, 66, "unevictable", 0),
                oom(f, 67, "slab_reclaimable", 2_620), oom(f, 67, "slab_unreclaimable", 7_076), oom(f, 68, "mapped", 1_489),
                oom(f, 68, "shmem", 2_473), oom(f, 68, "pagetables", 466), oom(f, 69, "sec_pagetables", 0), oom(f, 69, "bounce", 0),
                oom(f, 70, "kernel_misc_reclaimable", 0), oom(f, 71, "free", 136_672), oom(f, 71, "free_pcp", 96), oom(f, 71, "free_cma", 129_241),
                new HugePagePool("0", 2L << 20, 0, 0, 0, at(f, 78)), oomBytes(f, 82, "Free swap", 0), oomBytes(f, 83, "Total swap", 0),
                oom(f, 84, "pages RAM", 516_096), oom(f, 86, "pages reserved", 17_302), oom(f, 87, "pages cma reserved", 163_840));
    }

    @Test void theOomReportsOwnBudget() {
        Hypothesis h = one(fire(BUDGET, fec().toArray()), Hypothesis.class);
        assertEquals("UNACCOUNTED_KERNEL_MEMORY", h.code());
        // 498,794 managed - (136,672 free + 96 pcp + 10,851 LRU + 9,696 slab + 466 page tables) = 341,013 pages
        assertEquals(341_013, h.pages());
        assertEquals(341_013L * PS, h.bytes());
        assertEquals("critical", h.severity());
        assertTrue(h.summary().contains("129,241 of the free pages are CMA") && h.summary().contains("7,431 usable free pages"), h.summary());
        // with /proc/meminfo the meminfo budget decides
        none(fire(BUDGET, concat(fec(), new dev.leakdx.engine.Finding("MEMINFO_GAP", "", 1, "gap")).toArray()), Hypothesis.class);
    }

    @Test void sysrqMJudgesTheLastReportAndTheFirstIsHealthy() {
        // paste-sysrq-m-2.6.26-2.6.27-lkml-bug12832/sysrq-m.txt: 2.6.26 at lines 8-21, 2.6.27 at 33-47
        String f = "sysrq-m.txt";
        List<Object> healthy = List.of(oom(f, 8, "Active", 8_937), oom(f, 8, "inactive", 6_285), oom(f, 9, "free", 103_730),
                oom(f, 9, "slab", 5_612), oom(f, 9, "pagetables", 817), oom(f, 20, "pages RAM", 131_056), oom(f, 21, "pages reserved", 3_772));
        none(fire(BUDGET, healthy.toArray()), Hypothesis.class);   // 1,903 pages in no counter
        List<Object> both = concat(healthy, oom(f, 33, "Active", 8_879), oom(f, 33, "inactive", 6_265), oom(f, 34, "free", 62_265),
                oom(f, 34, "slab", 5_543), oom(f, 34, "pagetables", 821), oom(f, 46, "pages RAM", 131_056), oom(f, 47, "pages reserved", 4_046));
        Hypothesis h = one(fire(BUDGET, both.toArray()), Hypothesis.class);
        assertEquals(43_237, h.pages());                        // Wu's '160MB less free pages', in no counter
        assertEquals("critical", h.severity());
    }

    @Test void budgetNeedsEveryPart() {
        MemCounter ram = oom("x", 10, "pages RAM", 1000);
        assertNull(OomReportBudget.of(ram, List.of(oom("x", 5, "free", 10), oom("x", 11, "pages reserved", 10)), List.of()));
        // no page size, no bytes: no budget
        MemCounter noSize = new MemCounter("oom-meminfo", "pages RAM", 1000, -1, at("x", 10));
        assertNull(OomReportBudget.of(noSize, List.of(), List.of()));
    }

    @Test void aForkStormsStacksAreInTheGap() {
        Hypothesis u = new Hypothesis("UNACCOUNTED_KERNEL_MEMORY", "memory in no counter", "t", "critical", 1, 146_037L * PS, 146_037, "s");
        Hypothesis k = new Hypothesis("KERNEL_STACK_OR_PAGETABLES", "page tables", "t", "critical", 1, 59_427L * PS, -1, "s");
        Evidence e = evidence(fire(STACKS, u, k));
        assertEquals(2.0, e.weight());
        assertTrue(e.isAbout(u) && !e.supports() && e.text().contains("232.1 MiB"), e.text());
        // a report that prints kernel stacks counts them
        none(fire(STACKS, u, k, oom("x", 3, "kernel_stack", 100)), Evidence.class);
    }

    @Test void swapInUseMayBeTheGap() {
        // paste-oom-6.1-oomanalyser-archlinux/oom.txt:51-52: 24 GiB of swap used, 3.1 GiB in no counter
        Hypothesis u = new Hypothesis("UNACCOUNTED_KERNEL_MEMORY", "memory in no counter", "t", "critical", 1, 813_696L * PS, 813_696, "s");
        Evidence e = evidence(fire(SWAP, u, oomBytes("oom.txt", 51, "Free swap", 84L * 1024), oomBytes("oom.txt", 52, "Total swap", 25_165_820L * 1024)));
        assertTrue(!e.supports() && e.text().startsWith("24 GiB of swap was in use"), e.text());
        // the fec board has no swap
        none(fire(SWAP, u, oomBytes("dmesg.txt", 82, "Free swap", 0), oomBytes("dmesg.txt", 83, "Total swap", 0)), Evidence.class);
    }

    static List<Object> concat(List<Object> a, Object... more) {
        List<Object> out = new java.util.ArrayList<>(a);
        out.addAll(List.of(more));
        return out;
    }
}
