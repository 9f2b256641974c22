package dev.leakdx.rules;

import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.NextCapture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static dev.leakdx.rules.GrowthAttributionTest.facts;
import static dev.leakdx.rules.GrowthAttributionTest.grew;
import static dev.leakdx.rules.GrowthAttributionTest.concat;
import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/percpu.drl on the real lab capture of a per-CPU leak (a module's alloc_percpu never freed) and the built chunks case. */
class PercpuRulesTest {

    @Test void percpuGrowthIsALeakSizedByTheGrowth() throws IOException {
        String rule = "Percpu grew at every snapshot: per-CPU allocations are not freed";
        Hypothesis h = one(fire(rule, facts("lab-percpu-6.1-5")), Hypothesis.class);
        assertEquals("PERCPU_LEAK", h.code());
        // 49,893 objects of 1 KiB on 2 CPUs were injected (102,180,864 bytes); Percpu's own lines say how much it grew
        assertEquals(grew("lab-percpu-6.1-5", "Percpu"), h.bytes());
        assertTrue(Math.abs(h.bytes() - 102_180_864L) < 102_180_864L / 20, "within 5% of the injected bytes: " + h.bytes());
        assertEquals("warning", h.severity(), "5% of RAM: past the growth norm's 1%, under its 10%");
        assertTrue(h.summary().startsWith("meminfo Percpu grew +"), h.summary());
        // the idle guest's 520 kB grows by nothing
        none(fire(rule, facts("lab-baseline-6.12-0")), Hypothesis.class);
    }

    @Test void percpuAboveItsNormFromOneSnapshot() throws IOException {
        String rule = "Per-CPU allocations hold more than their norm";
        Hypothesis h = one(fire(rule, facts("percpu-chunks-built")), Hypothesis.class);
        assertEquals(262_664L * 1024, h.bytes(), "meminfo Percpu line 39");
        assertEquals("warning", h.severity(), "13.2% of RAM: the default scale warns from 5%, is critical from 25%");
        assertTrue(h.summary().contains("the Percpu norm for 1.9 GiB of RAM (32 MiB + 0.25% of RAM"), h.summary());
        // the dying-memcg host: 544 MiB of Percpu, 27.6% of RAM
        Hypothesis memcg = one(fire(rule, facts("slab-dying-memcg-coreos2637")), Hypothesis.class);
        assertEquals(557_056L * 1024, memcg.bytes());
        assertEquals("critical", memcg.severity());
        none(fire(rule, facts("lab-baseline-proc")), Hypothesis.class);
        // lxcfs's container view: the host's 98.5 MiB of Percpu beside a 16 GiB container limit, Slab: 0 kB
        none(fire(rule, facts("healthy-hotsos-vault-lxd")), Hypothesis.class);
    }

    @Test void theChunksMadeAfterBootHoldIt() throws IOException {
        String rule = "The per-CPU pages are in chunks made after boot";
        Hypothesis h = new Hypothesis("PERCPU_LEAK", "per-CPU allocator", "t", "warning", 1.0, 262_664L * 1024, -1, "s");
        Evidence e = one(fire(rule, concat(facts("percpu-chunks-built"), h)), Evidence.class);
        assertTrue(e.supports());
        // 128 chunks added by the generator and the lab guest's own one
        assertTrue(e.text().startsWith("129 per-CPU chunks made after boot (pcpu_get_vm_areas areas in vmallocinfo) span 258 MiB"), e.text());
    }

    @Test void theChunkMetadataIsTheMemoryInNoCounter() throws IOException {
        String rule = "Per-CPU chunk metadata explains the memory in no counter";
        Hypothesis leak = new Hypothesis("PERCPU_LEAK", "per-CPU allocator", "t", "warning", 1.0, 1, -1, "s");
        Hypothesis gap = new Hypothesis("UNACCOUNTED_KERNEL_MEMORY", "memory in no counter", "t", "warning", 1.0, 200L << 20, -1, "s");
        Evidence e = one(fire(rule, concat(facts("percpu-chunks-built"), leak, gap)), Evidence.class);
        assertEquals(false, e.supports());
        assertEquals(2.0, e.weight());
        // 516 pcpu_create_chunk areas of 531 pages a chunk and the lab's own: 267.6 MiB
        assertTrue(e.text().startsWith("267.6 MiB of it is per-CPU chunk metadata"), e.text());
        // a gap more than twice the metadata is not explained by it
        Hypothesis big = new Hypothesis("UNACCOUNTED_KERNEL_MEMORY", "memory in no counter", "t", "warning", 1.0, 1L << 30, -1, "s");
        none(fire(rule, concat(facts("percpu-chunks-built"), leak, big)), Evidence.class);
    }

    @Test void nextCapturesTellDyingCgroupsFromADriver() {
        String rule = "To find who allocates per-CPU memory and never frees it";
        Hypothesis h = new Hypothesis("PERCPU_LEAK", "per-CPU allocator", "t", "warning", 1.0, 1, -1, "s");
        List<NextCapture> next = all(fire(rule, h), NextCapture.class);
        assertEquals(3, next.size());
        assertTrue(next.get(0).toString().contains("cat /sys/fs/cgroup/cgroup.stat"), next.get(0).toString());
    }

}
