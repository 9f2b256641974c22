package dev.leakdx.rules;

import dev.leakdx.TestKnowledge;
import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.VmallocCallers;
import dev.leakdx.facts.CounterTrend;
import dev.leakdx.facts.TrendPoint;
import dev.leakdx.facts.VmallocInfoEntry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Baselines first (issue 11): the growth between proc-before/ and proc/ of the real lab captures
 * raises the hypothesis of the family whose counter grew, sized by the growth. Expected figures are
 * read from the captures' own meminfo lines here, not copied from a run.
 */
class GrowthAttributionTest {
    static final Path CASES = Path.of("cases");

    static Object[] facts(String name) throws IOException {
        try (Capture c = CaptureOpener.open(CASES.resolve(name))) {
            return TestKnowledge.diagnoser().extract(c).facts().toArray();
        }
    }

    /** A meminfo line's value in bytes, read straight from the file ("Shmem:   11708 kB"). */
    static long meminfo(String name, String snapshotDir, String key) throws IOException {
        for (String l : Files.readAllLines(CASES.resolve(name).resolve(snapshotDir).resolve("meminfo")))
            if (l.startsWith(key + ":")) return Long.parseLong(l.substring(key.length() + 1).replace("kB", "").strip()) * 1024;
        throw new AssertionError(key + " not in " + name + "/" + snapshotDir);
    }

    static long grew(String name, String key) throws IOException {
        return meminfo(name, "proc", key) - meminfo(name, "proc-before", key);
    }

    @Test void theGapsGrowthIsMemoryInNoCounter() throws IOException {
        String rule = "Memory in no counter grew at every snapshot: pages held outside every counter";
        Object[] in = facts("lab-pfrag-6.1-2");
        Hypothesis h = one(fire(rule, in), Hypothesis.class);
        assertEquals("UNACCOUNTED_KERNEL_MEMORY", h.code());
        long gap = 0;
        for (Object o : in) if (o instanceof CounterTrend t && t.name().equals("(gap)")) gap = t.delta();
        // 1,248 order-3 frag pages: 40,894,464 bytes injected; MemFree fell by about that much and no counter rose
        assertTrue(Math.abs(gap - 40_894_464L) < 40_894_464L / 10, "gap growth " + gap);
        assertTrue(-grew("lab-pfrag-6.1-2", "MemFree") >= gap, "MemFree fell by at least the gap's growth");
        assertEquals(gap, h.bytes(), "sized by the growth, not the whole gap now");
        assertEquals("warning", h.severity(), "2.1% of RAM is past the growth norm's 1%");
        assertTrue(h.summary().startsWith("memory in no /proc/meminfo counter grew +"), h.summary());
        assertTrue(h.summary().contains("the growth norm for 1.9 GiB of RAM"), h.summary());
        // the per-CPU leak's gap growth is its vmalloc'd chunk metadata: vmalloc's to explain, not this rule's
        none(fire(rule, facts("lab-percpu-6.1-5")), Hypothesis.class);
    }

    @Test void shmemGrowthNobodyMapsIsTmpfsFiles() throws IOException {
        String rule = "Shmem grew at every snapshot and no process maps what it gained: files pile up in tmpfs";
        Hypothesis h = one(fire(rule, facts("lab-shmem-6.1-10")), Hypothesis.class);
        assertEquals("SHMEM_TMPFS_GROWTH", h.code());
        assertEquals(grew("lab-shmem-6.1-10", "Shmem"), h.bytes());
        assertEquals(1.0, h.prior(), "Mapped says the growth is mapped by no process");
        assertEquals("warning", h.severity());
        assertTrue(h.summary().contains("of the Shmem now is mapped by no process (Mapped is"), h.summary());
        // free and grep Shmem alone: nothing says whether a process maps it, so the Shmem scale judges it
        Hypothesis paste = one(fire(rule, facts("paste-free-kilo-script-mate467")), Hypothesis.class);
        assertEquals(0.5, paste.prior());
        assertEquals("info", paste.severity(), "1.5% of RAM is far under the Shmem scale's 10%");
        assertEquals((504_912L - 5_072L) * 1024, paste.bytes(), "the two grep Shmem lines of the paste");
        assertTrue(paste.summary().contains("whether a process maps it is unknown here"), paste.summary());
    }

    /** A program's tmpfs file it has mapped grows Shmem: the processes' shared memory, no verdict (healthy-lab-tmpfs-inuse-6.1's shape). */
    @Test void shmemGrowthThatProcessesMapIsTheirs() {
        String rule = "Shmem grew but processes map what it gained: their shared memory in use";
        List<TrendPoint> pts = List.of(
                new TrendPoint("meminfo Shmem", "before", Double.NaN, 11_708L * 1024, at("proc-before/meminfo", 23, "", "before")),
                new TrendPoint("meminfo Shmem", "", Double.NaN, 510_364L * 1024, at("proc/meminfo", 23)));
        CounterTrend g = new CounterTrend("meminfo", "", "Shmem", "kernel", pts, "order only", 1_995_720L * 1024, -1, pts.get(1).provenance());
        dev.leakdx.facts.MemCounter mapped = new dev.leakdx.facts.MemCounter("meminfo", "Mapped", -1, 501_024L * 1024, at("proc/meminfo", 22));
        dev.leakdx.engine.Finding f = one(fire(rule, g, mapped), dev.leakdx.engine.Finding.class);
        assertEquals("SHMEM_GROWTH_MAPPED", f.code());
        assertEquals((510_364L - 11_708L) * 1024, f.bytes());
        assertTrue(f.summary().contains("but only 9.12 MiB of it is mapped by no process"), f.summary());
        // and neither the tmpfs verdict nor the generic growth is raised for it
        none(fire("Shmem grew at every snapshot and no process maps what it gained: files pile up in tmpfs", g, mapped), Hypothesis.class);
        none(fire("A kernel counter grows at every snapshot", g, mapped), Hypothesis.class);
        // unmapped, the same growth is the tmpfs verdict's
        dev.leakdx.facts.MemCounter little = new dev.leakdx.facts.MemCounter("meminfo", "Mapped", -1, 4_000L * 1024, at("proc/meminfo", 22));
        none(fire(rule, g, little), dev.leakdx.engine.Finding.class);
    }

    @Test void vmallocGrowthNamesTheCallerThatGrew() throws IOException {
        String rule = "VmallocUsed grew at every snapshot beyond the thread stacks: a vmalloc leak in the caller that grew";
        Object[] in = facts("lab-vmalloc-6.1-10");
        Hypothesis h = one(fire(rule, in), Hypothesis.class);
        assertEquals("VMALLOC_LEAK", h.code());
        assertEquals(grew("lab-vmalloc-6.1-10", "VmallocUsed") - Math.max(0, grew("lab-vmalloc-6.1-10", "KernelStack")), h.bytes());
        assertEquals("critical", h.severity(), "10% of RAM in minutes is the growth norm's critical share");
        List<VmallocInfoEntry> before = new ArrayList<>(), now = new ArrayList<>();
        for (Object o : in) if (o instanceof VmallocInfoEntry e) (e.provenance().snapshot().equals("before") ? before : now).add(e);
        VmallocCallers.Total top = VmallocCallers.grown(before, now, 4096).get(0);
        assertTrue(top.bytes() * 10 >= h.bytes() * 9, "one caller gained nearly all of it: " + top);
        assertTrue(h.summary().contains("the caller that gained most is " + top.caller() + ": +"), h.summary());
        // the per-CPU leak grows VmallocUsed with pcpu_create_chunk metadata: not a vmalloc leak
        none(fire(rule, facts("lab-percpu-6.1-5")), Hypothesis.class);
    }

    /** threads-6.1-4G at 0.5%: VmallocUsed's change passes the trend floor, KernelStack's (the same stacks) falls 14 KiB short. */
    @Test void stacksJustUnderTheFloorStillExplainVmallocGrowth() {
        String rule = "VmallocUsed grew at every snapshot beyond the thread stacks: a vmalloc leak in the caller that grew";
        List<TrendPoint> pts = List.of(
                new TrendPoint("meminfo VmallocUsed", "before", Double.NaN, 6_480L * 1024, at("proc-before/meminfo", 37, "", "before")),
                new TrendPoint("meminfo VmallocUsed", "", Double.NaN, (6_480L + 19_968) * 1024, at("proc/meminfo", 37)));
        CounterTrend g = new CounterTrend("meminfo", "", "VmallocUsed", "kernel", pts, "order only", 3_990_716L * 1024, -1, pts.get(1).provenance());
        dev.leakdx.facts.MemCounter percpu = new dev.leakdx.facts.MemCounter("meminfo", "Percpu", -1, 520L * 1024, at("proc/meminfo", 39));
        dev.leakdx.facts.MemCounter ksThen = new dev.leakdx.facts.MemCounter("meminfo", "KernelStack", -1, 944L * 1024, at("proc-before/meminfo", 28, "", "before"));
        dev.leakdx.facts.MemCounter ksNow = new dev.leakdx.facts.MemCounter("meminfo", "KernelStack", -1, (944L + 19_940) * 1024, at("proc/meminfo", 28));
        none(fire(rule, g, percpu, ksThen, ksNow), Hypothesis.class);
        // without the KernelStack lines the same growth is vmalloc's
        Hypothesis h = one(fire(rule, g, percpu), Hypothesis.class);
        assertEquals(19_968L * 1024, h.bytes());
    }

    @Test void kernelStackGrowthIsThreadsAndTheirSlabIsTheirs() throws IOException {
        String rule = "Kernel stacks grew at every snapshot: threads pile up";
        Object[] in = facts("lab-threads-6.1-5");
        Hypothesis h = one(fire(rule, in), Hypothesis.class);
        assertEquals("KERNEL_STACK_OR_PAGETABLES", h.code());
        assertEquals("kernel stacks", h.subject());
        long stacks = grew("lab-threads-6.1-5", "KernelStack");
        assertEquals(stacks, h.bytes());
        assertTrue(h.summary().contains("about " + String.format("%,d", stacks / 16384) + " more threads at 16 KiB each"), h.summary());

        String slab = "The slab each new thread carries grew with the threads";
        Evidence e = one(fire(slab, concat(in, h)), Evidence.class);
        assertTrue(e.text().startsWith("slab cache task_struct grew +"), e.text());
        assertTrue(e.text().endsWith(": one per new thread"), e.text());
        // and the slab rule leaves task_struct's growth to the thread verdict
        none(fire("One unreclaimable cache grew by most of SUnreclaim's growth: a slab leak in that cache", in), Hypothesis.class);
    }

    @Test void pageTableGrowth() {
        String rule = "Page tables grew at every snapshot";
        List<TrendPoint> pts = List.of(
                new TrendPoint("meminfo PageTables", "before", Double.NaN, 40L << 20, at("proc-before/meminfo", 30, "", "before")),
                new TrendPoint("meminfo PageTables", "", Double.NaN, 240L << 20, at("proc/meminfo", 30)));
        CounterTrend g = new CounterTrend("meminfo", "", "PageTables", "kernel", pts, "order only", 8L << 30, 6L << 30, pts.get(1).provenance());
        Hypothesis h = one(fire(rule, g), Hypothesis.class);
        assertEquals("page tables", h.subject());
        assertEquals(200L << 20, h.bytes());
        assertEquals("warning", h.severity(), "2.4% of 8 GiB is past the growth norm's 1%, under its 10%");
        assertTrue(h.summary().startsWith("PageTables grew +200 MiB (40 MiB -> 240 MiB) across 2 snapshots"), h.summary());
        // a page-table growth under the growth norm's warning share and its own norm is information
        List<TrendPoint> small = List.of(pts.get(0), new TrendPoint("meminfo PageTables", "", Double.NaN, 70L << 20, at("proc/meminfo", 30)));
        Hypothesis i = one(fire(rule, new CounterTrend("meminfo", "", "PageTables", "kernel", small, "order only", 8L << 30, 6L << 30,
                small.get(1).provenance())), Hypothesis.class);
        assertEquals("info", i.severity());
    }

    static Object[] concat(Object[] a, Object... b) {
        Object[] out = new Object[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
