package dev.leakdx.rules;

import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Finding;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.NextCapture;
import dev.leakdx.facts.CounterTrend;
import dev.leakdx.facts.SlabTrend;
import dev.leakdx.facts.TrendPoint;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/trend.drl over CounterTrend / SlabTrend facts as engine/Trends builds them (8 GiB host, MiB values). */
class TrendRulesTest {
    static final long MIB = 1L << 20, TOTAL = 8L << 30;

    /** A counter at the given MiB values, snapshots t1.. (2 h apart when timed), newest unlabelled, from file/line. */
    static List<TrendPoint> points(String what, boolean timed, int line, long... mib) {
        List<TrendPoint> l = new ArrayList<>();
        for (int i = 0; i < mib.length; i++) {
            String snap = i == mib.length - 1 ? "" : "t" + (i + 1);
            String dir = snap.isEmpty() ? "proc" : "proc-" + snap;
            l.add(new TrendPoint(what, snap, timed ? 2.0 * i : Double.NaN, mib[i] * MIB, at(dir + "/meminfo", line, "", snap)));
        }
        return l;
    }

    static CounterTrend counter(String name, String kind, boolean timed, int line, long... mib) {
        List<TrendPoint> p = points("meminfo " + name, timed, line, mib);
        return new CounterTrend("meminfo", "", name, kind, p, timed ? "uptime" : "order only", TOTAL, 5L << 30, p.get(p.size() - 1).provenance());
    }

    static SlabTrend slab(String name, boolean timed, long... mib) {
        List<TrendPoint> p = points("slab cache " + name, timed, 140, mib);
        return new SlabTrend("", name, p, 1000, 900_000, 256, "uptime", TOTAL, 5L << 30, p.get(p.size() - 1).provenance());
    }

    static final String GROWING = "A kernel counter grows at every snapshot";

    @Test void kernelCounterGrowingWithRunOut() {
        CounterTrend su = counter("SUnreclaim", "kernel", true, 27, 70, 130, 190, 250, 310);
        CounterTrend avail = counter("MemAvailable", "available", true, 3, 6000, 5940, 5880, 5820, 5760);
        var r = fire(GROWING, su, avail);
        Hypothesis h = one(r, Hypothesis.class);
        assertEquals("KERNEL_MEMORY_GROWING", h.code());
        assertEquals("growth of SUnreclaim", h.subject());
        assertEquals(240 * MIB, h.bytes());
        assertEquals(1.5, h.prior(), "five snapshots");
        assertEquals("warning", h.severity(), "5760 MiB at 30 MiB/h is 8 days away");
        assertTrue(h.summary().contains("+240 MiB (70 MiB -> 310 MiB), +30 MiB/h across 5 snapshots over 8.0 h"), h.summary());
        assertTrue(h.summary().contains("at that rate it reaches 0 in 8.0 days"), h.summary());
        assertTrue(h.summary().endsWith("Not attributed: no slabinfo at each snapshot names the cache that grew."), h.summary());
        // a cache that grew far less than SUnreclaim does not explain it, and the verdict says so
        assertTrue(one(fire(GROWING, su, avail, slab("kmalloc-64", true, 10, 20, 30, 40, 50)), Hypothesis.class).summary()
                .contains("Not attributed: no unreclaimable slab cache grew by half of it (1 cache(s) grew less)"));
        derivedFrom(r, h, GROWING, su);
        // runs out within a day: critical
        CounterTrend fast = counter("MemAvailable", "available", true, 3, 1200, 900, 600, 400, 200);
        assertEquals("critical", one(fire(GROWING, su, fast), Hypothesis.class).severity());
        // two untimed snapshots: a change, weaker, no run-out
        Hypothesis two = one(fire(GROWING, counter("Percpu", "kernel", false, 39, 10, 90)), Hypothesis.class);
        assertEquals(0.5, two.prior());
        assertEquals("warning", two.severity());
        assertTrue(two.summary().contains("no rate or run-out estimate"), two.summary());
        // the family's own hypothesis takes the growth as evidence instead
        none(fire(GROWING, su, hypothesis("SLAB_LEAK", "unreclaimable slab")), Hypothesis.class);
        // not steady, reclaimable or user memory: no growth verdict
        none(fire(GROWING, counter("SUnreclaim", "kernel", true, 27, 70, 300, 100, 250)), Hypothesis.class);
        none(fire(GROWING, counter("Cached", "reclaimable", true, 5, 1000, 2000, 3000)), Hypothesis.class);
        none(fire(GROWING, counter("AnonPages", "user", true, 21, 100, 900)), Hypothesis.class);
        // VmallocUsed growing with the thread stacks is a thread leak, not vmalloc
        Hypothesis stacks = one(fire(GROWING, counter("VmallocUsed", "kernel", true, 37, 100, 400), counter("KernelStack", "kernel", true, 28, 50, 340)), Hypothesis.class);
        assertEquals("growth of KernelStack", stacks.subject(), "only the stacks' own growth is raised");
    }

    @Test void growthSupportsTheFamilyHypothesis() {
        String rule = "A steady growth of the counter a hypothesis is about supports it";
        Hypothesis gap = hypothesis("UNACCOUNTED_KERNEL_MEMORY", "memory in no counter");
        CounterTrend g = counter("(gap)", "kernel", false, 1, 20, 150);
        Evidence e = evidence(fire(rule, g, gap));
        assertTrue(e.supports());
        assertEquals(0.5, e.weight(), "two snapshots");
        assertTrue(e.text().startsWith("memory in no meminfo counter (the budget gap less unmapped anon) grew +130 MiB"), e.text());
        // KERNEL_STACK_OR_PAGETABLES has two subjects: KernelStack supports the stacks one only
        CounterTrend ks = counter("KernelStack", "kernel", true, 28, 100, 200, 300);
        assertEquals(1.0, evidence(fire(rule, ks, hypothesis("KERNEL_STACK_OR_PAGETABLES", "kernel stacks"))).weight());
        none(fire(rule, ks, hypothesis("KERNEL_STACK_OR_PAGETABLES", "page tables")), Evidence.class);
    }

    @Test void riseAndFallIsNotSteady() {
        String rule = "A kernel counter that rose and fell between snapshots is not a steady growth";
        CounterTrend su = counter("SUnreclaim", "kernel", true, 27, 70, 310, 107, 263);
        var r = fire(rule, su, hypothesis("SLAB_LEAK", "unreclaimable slab"));
        Finding f = one(r, Finding.class);
        assertEquals("GROWTH_NOT_STEADY", f.code());
        assertEquals(193 * MIB, f.bytes());
        Evidence e = one(r, Evidence.class);
        assertFalse(e.supports());
        assertEquals(0.5, e.weight());
        // a dip within 2% of the whole change is noise: steady
        none(fire(rule, counter("SUnreclaim", "kernel", true, 27, 100, 200, 199, 300)), Finding.class);
    }

    @Test void fallWeakensTheHypothesis() {
        String rule = "A kernel counter that fell between snapshots weakens its leak hypothesis";
        Evidence e = evidence(fire(rule, counter("Shmem", "kernel", true, 23, 900, 700, 400), hypothesis("SHMEM_TMPFS_GROWTH", "shmem")));
        assertFalse(e.supports());
        assertEquals(1.0, e.weight());
        assertTrue(e.text().contains("-500 MiB (900 MiB -> 400 MiB)"), e.text());
        none(fire(rule, counter("Shmem", "kernel", true, 23, 900, 700, 400)), Evidence.class);
    }

    @Test void slabCacheGrowing() {
        String rule = "One slab cache grows at every snapshot";
        Finding f = finding(fire(rule, slab("kmalloc-256", true, 8, 68, 128, 188, 248)));
        assertEquals("SLAB_CACHE_GROWING", f.code());
        assertEquals("kmalloc-256", f.subject());
        assertEquals(240 * MIB, f.bytes());
        assertTrue(f.summary().contains("+30 MiB/h across 5 snapshots over 8.0 h"), f.summary());
        assertTrue(f.summary().contains("objects in use 1,000 -> 900,000 of 256 B"), f.summary());
        none(fire(rule, slab("dentry", true, 8, 68, 128)), Finding.class);          // reclaimable: the shrinker frees it
        none(fire(rule, slab("kmalloc-1k", true, 9, 250, 47, 203)), Finding.class); // bursts and drains
    }

    @Test void slabGrowthSupportsSlabHypotheses() {
        String rule = "A growing slab cache supports the slab hypothesis";
        SlabTrend s = slab("kmalloc-256", true, 8, 68, 128, 188, 248);
        Finding f = new Finding("SLAB_CACHE_GROWING", "kmalloc-256", 240 * MIB, "slab cache kmalloc-256 grew");
        assertEquals(1.5, evidence(fire(rule, s, f, hypothesis("SLAB_LEAK", "unreclaimable slab"))).weight());
        assertEquals(1.5, evidence(fire(rule, s, f, hypothesis("KERNEL_MEMORY_GROWING", "growth of SUnreclaim"))).weight());
        none(fire(rule, s, f, hypothesis("KERNEL_MEMORY_GROWING", "growth of (gap)")), Evidence.class);
    }

    @Test void reclaimableGrowthIsNoLeak() {
        String rule = "Growth of page cache or reclaimable slab is not a leak";
        Finding f = finding(fire(rule, counter("Cached", "reclaimable", true, 5, 1320, 2050, 2685, 3174)));
        assertEquals("RECLAIMABLE_GROWTH", f.code());
        assertEquals(1854 * MIB, f.bytes());
        none(fire(rule, counter("SUnreclaim", "kernel", true, 27, 100, 300)), Finding.class);
    }

    @Test void runOutEstimate() {
        String rule = "MemAvailable falls at a steady rate: when it reaches zero";
        Finding f = finding(fire(rule, counter("MemAvailable", "available", true, 3, 6000, 5940, 5880, 5820, 5760)));
        assertEquals("MEMAVAILABLE_RUNS_OUT", f.code());
        assertEquals(240 * MIB, f.bytes());
        assertTrue(f.summary().endsWith("at this rate memory runs out in 8.0 days"), f.summary());
        none(fire(rule, counter("MemAvailable", "available", false, 3, 6000, 5760)), Finding.class);            // no times: no rate
        none(fire(rule, counter("MemAvailable", "available", true, 3, 6000, 5700, 5950, 5760)), Finding.class); // not steady
    }

    @Test void userMemoryGrowth() {
        String rule = "MemAvailable fell because processes took it";
        Finding f = finding(fire(rule, counter("AnonPages", "user", false, 21, 0, 64), counter("MemAvailable", "available", false, 3, 1835, 1769)));
        assertEquals("USER_MEMORY_GROWTH", f.code());
        assertTrue(f.summary().contains("against a MemAvailable fall of 66 MiB"), f.summary());
        // processes took a fifth of what went: not their doing
        none(fire(rule, counter("AnonPages", "user", false, 21, 0, 64), counter("MemAvailable", "available", false, 3, 1835, 1500)), Finding.class);
    }

    @Test void nextCaptures() {
        List<NextCapture> n = next(fire("To measure a growth, capture timed snapshots", hypothesis("KERNEL_MEMORY_GROWING", "growth of SUnreclaim")));
        assertEquals(2, n.size());
        assertTrue(n.get(0).command().contains("cat /proc/uptime"), n.get(0).command());
    }
}
