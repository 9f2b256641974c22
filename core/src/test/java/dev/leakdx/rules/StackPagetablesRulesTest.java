package dev.leakdx.rules;

import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.NextCapture;
import dev.leakdx.engine.ThreadSize;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.OomTask;
import dev.leakdx.facts.ProcessThreads;
import dev.leakdx.facts.VmallocInfoEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/stack-pagetables.drl: 100,000 leaked threads on a 32 GiB host, and 3 GiB of page tables. */
class StackPagetablesRulesTest {
    static MemCounter mi(String name, long kb, int line) { return new MemCounter("meminfo", name, -1, kb * 1024, at("meminfo", line)); }

    final MemCounter total = mi("MemTotal", 32L << 20, 1);
    final MemCounter stacks = mi("KernelStack", 1_600_000, 27); // 100,000 x 16 KiB
    final String stackRule = "Kernel stacks hold a large share of memory: too many threads";

    static HostFact fact(String k, String v) { return new HostFact(k, v, "test", at("case.yaml", 1)); }

    @Test void threadSizeIsDerivedNotAssumed() {
        assertEquals(16384, ThreadSize.of("x86_64", 4096, -1).bytes());
        assertEquals(65536, ThreadSize.of("arm64", 65536, -1).bytes(), "arm64 64K pages with VMAP_STACK: THREAD_SHIFT = PAGE_SHIFT");
        assertEquals(16384, ThreadSize.of("arm64", 4096, -1).bytes());
        assertEquals(32768, ThreadSize.of("", 4096, 36864).bytes(), "measured: a KASAN build's 32 KiB stacks + guard page");
        assertTrue(ThreadSize.of("", -1, -1).assumed());
        assertFalse(ThreadSize.of("x86_64", -1, -1).assumed());
    }

    @Test void kernelStacksGiveTheThreadCount() {
        Hypothesis h = one(fire(stackRule, total, stacks, fact("arch", "x86_64"), host("page_size", 4096)), Hypothesis.class);
        assertEquals(1_600_000L * 1024, h.bytes());
        assertTrue(h.summary().contains("about 100,000 threads at 16 KiB"), h.summary());
        // arm64 with 64 KiB pages: a quarter as many
        Hypothesis a = one(fire(stackRule, total, stacks, fact("arch", "arm64"), host("page_size", 65536)), Hypothesis.class);
        assertTrue(a.summary().contains("about 25,000 threads at 64 KiB"), a.summary());
        // measured from vmallocinfo, arch unknown
        VmallocInfoEntry s = new VmallocInfoEntry(0, 0, 20480, "kernel_clone+0xbf/0x430", 4, "vmalloc", at("vmallocinfo", 3));
        assertTrue(one(fire(stackRule, total, stacks, host("page_size", 4096), s), Hypothesis.class).summary().contains("measured"));
        // a busy host with 12,000 threads (188 MiB) is normal
        // measured norm for 32 GiB: 32 MiB + 0.25% = 113.9 MiB (the corpus's busiest host runs about 3,100 threads)
        none(fire(stackRule, total, mi("KernelStack", 100_000, 27)), Hypothesis.class);
        // 12,000 threads are above it, but far under the warning scale: information
        assertEquals("info", one(fire(stackRule, total, mi("KernelStack", 192_000, 27)), Hypothesis.class).severity());
    }

    @Test void pageTables() {
        Hypothesis h = one(fire("Page tables hold a large share of memory", total, mi("PageTables", 3L << 20, 28)), Hypothesis.class);
        assertEquals("page tables", h.subject());
        assertEquals(3L << 30, h.bytes());
        none(fire("Page tables hold a large share of memory", total, mi("PageTables", 200_000, 28)), Hypothesis.class);
    }

    @Test void processWithMostThreads() {
        Hypothesis h = new Hypothesis("KERNEL_STACK_OR_PAGETABLES", "kernel stacks", "t", "warning", 1, 1, -1, "s");
        Evidence e = evidence(fire("One process has most of the threads", h, stacks, fact("arch", "x86_64"),
                new ProcessThreads(4711, "leaky-daemon", 97_412, 2L << 20, at("4711.leaky-daemon.status", 1)),
                new ProcessThreads(1, "systemd", 1, 1L << 20, at("1.systemd.status", 1))));
        assertEquals(1.5, e.weight());
        assertTrue(e.text().startsWith("pid 4711 (leaky-daemon) has 97,412 threads"), e.text());
    }

    @Test void processWithMostPageTables() {
        Hypothesis h = new Hypothesis("KERNEL_STACK_OR_PAGETABLES", "page tables", "t", "warning", 1, 1, -1, "s");
        Evidence e = evidence(fire("One process has most of the page tables", h, mi("PageTables", 3L << 20, 28),
                new ProcessThreads(2222, "sparse", 4, 2L << 30, at("2222.sparse.status", 1))));
        assertEquals(1.5, e.weight());
        assertTrue(e.text().contains("2 GiB of page tables (VmPTE)"), e.text());
    }

    @Test void oomTaskTablePageTables() {
        Hypothesis h = new Hypothesis("KERNEL_STACK_OR_PAGETABLES", "page tables", "t", "warning", 1, 1, -1, "s");
        Evidence e = evidence(fire("The OOM task table shows the page tables", h, mi("PageTables", 3L << 20, 28), host("page_size", 4096),
                new OomTask(2222, 0, 2222, 900_000_000, 1000, 2L << 30, 0, 0, "sparse", at("dmesg.txt", 60)),
                new OomTask(1, 0, 1, 40_000, 2000, 90_112, 0, 0, "systemd", at("dmesg.txt", 61))));
        assertEquals(1.5, e.weight());
        assertTrue(e.text().contains("largest is pid 2222 (sparse) with 2 GiB"), e.text());
    }

    @Test void oomTaskSwarm() {
        Hypothesis h = new Hypothesis("KERNEL_STACK_OR_PAGETABLES", "kernel stacks", "t", "warning", 1, 1, -1, "s");
        List<Object> in = new ArrayList<>(List.of(h));
        for (int i = 0; i < 1200; i++) in.add(new OomTask(3000 + i, 0, 3000 + i, 5000, 300, 40_960, 0, 0, "worker", at("dmesg.txt", 70 + i)));
        Evidence e = evidence(fire("The OOM task table shows a swarm of one program", in.toArray()));
        assertTrue(e.text().contains("1,200 of them named worker"), e.text());
    }

    @Test void nextCaptures() {
        List<NextCapture> n = next(fire("To count threads and page tables per process, list them",
                new Hypothesis("KERNEL_STACK_OR_PAGETABLES", "kernel stacks", "t", "warning", 1, 1, -1, "s")));
        assertTrue(n.stream().anyMatch(c -> c.command().contains("nlwp")));
        List<NextCapture> p = next(fire("To count threads and page tables per process, list them",
                new Hypothesis("KERNEL_STACK_OR_PAGETABLES", "page tables", "t", "warning", 1, 1, -1, "s")));
        assertTrue(p.stream().anyMatch(c -> c.command().contains("VmPTE")));
    }
}
