package dev.leakdx.rules;

import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Finding;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.NextCapture;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.VmallocArea;
import dev.leakdx.facts.VmallocInfoEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/vmalloc.drl: a module vmallocing 2 GiB on a 16 GiB host, 8 GiB of GPU BARs that are not RAM, stacks kept apart. */
class VmallocRulesTest {
    static final long GIB = 1L << 30;

    static MemCounter mi(String name, long kb, int line) { return new MemCounter("meminfo", name, -1, kb * 1024, at("meminfo", line)); }

    static VmallocInfoEntry area(String caller, long pages, String kind, int line) {
        long size = kind.equals("vmalloc") ? (pages + 1) * 4096 : 256L << 20;
        return new VmallocInfoEntry(0, 0, size, caller, kind.equals("vmalloc") ? pages : -1, kind, at("vmallocinfo", line));
    }

    /** 512 areas of 1024 pages by ring_alloc [leaky] (2 GiB), 3000 stacks, a 40 MiB module load and 32 ioremap BARs of 256 MiB. */
    public static List<Object> leak() {
        List<Object> l = new ArrayList<>();
        int line = 1;
        for (int i = 0; i < 512; i++) l.add(area("ring_alloc+0x2c/0x90 [leaky]", 1024, "vmalloc", line++));
        for (int i = 0; i < 3000; i++) l.add(area("kernel_clone+0xbf/0x430", 4, "vmalloc", line++));
        l.add(area("load_module+0xbb7/0x21a0", 10240, "vmalloc", line++));
        for (int i = 0; i < 32; i++) l.add(area("pci_iomap_range+0x5a/0x80", -1, "ioremap", line++));
        return l;
    }

    @Test void vmallocUsedLessStacksNamesTheTopCaller() {
        String rule = "vmalloc holds a large share of memory";
        long used = 512 * 1024 * 4 + 3000 * 16 + 10240 * 4; // kB: leak + stacks + module
        List<Object> in = new ArrayList<>(leak());
        in.add(host("ram_bytes", 16 * GIB)); in.add(host("page_size", 4096)); in.add(mi("VmallocUsed", used, 38));
        // without a Percpu line a non-zero VmallocUsed is a pre-4.4 kernel's, ioremap included: not judged here
        none(fire(rule, in.toArray()), Hypothesis.class);
        in.add(mi("Percpu", 2048, 40));
        Hypothesis h = one(fire(rule, in.toArray()), Hypothesis.class);
        assertEquals((used - 3000 * 16) * 1024, h.bytes(), "stacks (counted in KernelStack) are left out");
        assertEquals("warning", h.severity());
        assertTrue(h.summary().contains("ring_alloc [leaky] with 2 GiB in 512 areas"), h.summary());
        // without vmallocinfo KernelStack bounds the stacks: a thread leak is not a vmalloc leak
        none(fire(rule, host("ram_bytes", 16 * GIB), mi("VmallocUsed", 1_100_000, 38), mi("KernelStack", 1_000_000, 27), mi("Percpu", 2048, 40)), Hypothesis.class);
        // 300 MiB is normal (the measured norm for 16 GiB: 64 MiB + 2% = 391.7 MiB)
        none(fire(rule, host("ram_bytes", 16 * GIB), mi("VmallocUsed", 300_000, 38), mi("Percpu", 2048, 40)), Hypothesis.class);
    }

    @Test void vmallocinfoWhenVmallocUsedReadsZero() {
        String rule = "vmallocinfo shows the vmalloc'd pages that meminfo does not";
        List<Object> in = new ArrayList<>(leak());
        in.add(host("ram_bytes", 16 * GIB)); in.add(host("page_size", 4096)); in.add(mi("VmallocUsed", 0, 38));
        Hypothesis h = one(fire(rule, in.toArray()), Hypothesis.class);
        assertEquals((512L * 1024 + 10240) * 4096, h.bytes(), "pages= of vmalloc areas; ioremap BARs (8 GiB) and stacks are not counted");
        assertTrue(h.summary().contains("VmallocUsed 0, as kernels 4.4 to 5.2"), h.summary());
        // a non-zero VmallocUsed without Percpu (before 4.4: ioremap included) still leaves it to vmallocinfo
        List<Object> old = new ArrayList<>(leak());
        old.add(host("ram_bytes", 16 * GIB)); old.add(host("page_size", 4096)); old.add(mi("VmallocUsed", 9_000_000, 38));
        assertEquals((512L * 1024 + 10240) * 4096, one(fire(rule, old.toArray()), Hypothesis.class).bytes());
        // a 5.3+ VmallocUsed (non-zero, Percpu printed) belongs to the other rule
        in.add(mi("VmallocUsed", 2_000_000, 39)); in.add(mi("Percpu", 2048, 40));
        none(fire(rule, in.toArray()), Hypothesis.class);
    }

    @Test void ioremapAloneIsNoLeak() {
        List<Object> in = new ArrayList<>();
        for (int i = 0; i < 32; i++) in.add(area("pci_iomap_range+0x5a/0x80", -1, "ioremap", i + 1));
        in.add(host("ram_bytes", 16 * GIB)); in.add(host("page_size", 4096));
        none(fire("vmallocinfo shows the vmalloc'd pages that meminfo does not", in.toArray()), Hypothesis.class);
        Finding f = finding(fire("Large ioremap areas are device memory, not RAM", in.toArray()));
        assertEquals(8 * GIB, f.bytes());
        assertTrue(f.summary().startsWith("32 ioremap areas span 8 GiB"), f.summary());
    }

    @Test void topCaller() {
        List<Object> in = new ArrayList<>(leak());
        in.add(hypothesis("VMALLOC_LEAK", "vmalloc")); in.add(host("page_size", 4096));
        Evidence e = evidence(fire("One caller holds most of the vmalloc'd memory", in.toArray()));
        assertTrue(e.text().startsWith("vmalloc caller ring_alloc [leaky] holds 2 GiB in 512 areas"), e.text());
        assertTrue(e.text().contains("vmallocinfo:1"), e.text());
    }

    @Test void kmemVIsAnUpperBound() {
        Hypothesis h = new Hypothesis("VMALLOC_LEAK", "vmalloc", "t", "warning", 1, GIB, -1, "s");
        List<Object> in = new ArrayList<>(List.of(h));
        for (int i = 0; i < 300; i++) in.add(new VmallocArea(0xffff8ee24104d700L + i, 0xffff8ee241120740L + i, 0xffffd0b5c0000000L + i * 0x401000L,
                0xffffd0b5c0000000L + i * 0x401000L + 0x401000L, 0x401000L, at("session.txt", 100 + i)));
        Evidence e = evidence(fire("crash kmem -v lists the vmalloc areas of the vmcore", in.toArray()));
        assertEquals(0.5, e.weight());
        assertTrue(e.text().startsWith("crash kmem -v lists 300 areas"), e.text());
        none(fire("crash kmem -v lists the vmalloc areas of the vmcore", h, in.get(1)), Evidence.class);
    }

    @Test void nextCaptures() {
        List<NextCapture> n = next(fire("To find who vmallocs and never frees, compare vmallocinfo over time", hypothesis("VMALLOC_LEAK", "vmalloc")));
        assertEquals(4, n.size());
        assertTrue(n.stream().anyMatch(c -> c.command().contains("kmem -v")));
        assertFalse(n.stream().anyMatch(c -> c.command().isBlank()));
    }
}
