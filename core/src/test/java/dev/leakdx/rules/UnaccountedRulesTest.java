package dev.leakdx.rules;

import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Finding;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.NextCapture;
import dev.leakdx.facts.MemCounter;
import org.junit.jupiter.api.Test;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/unaccounted.drl with lab-pfrag's /proc figures (128 MiB of frag pages in no counter). */
class UnaccountedRulesTest {
    static final String RAISE = "Memory that no meminfo counter explains is held by the kernel outside every counter";
    final MemCounter total = new MemCounter("meminfo", "MemTotal", -1, 1_995_720L * 1024, at("meminfo", 1));

    @Test void aGapOverFourPercentIsUnaccountedKernelMemory() {
        Finding gap = new Finding("MEMINFO_GAP", "", 153_400L * 1024, "gap");
        Hypothesis h = one(fire(RAISE, gap, total), Hypothesis.class);
        assertEquals("UNACCOUNTED_KERNEL_MEMORY", h.code());
        assertEquals(153_400L * 1024, h.bytes());
        assertEquals("warning", h.severity());
        // lab-baseline: 22 MiB of ordinary unaccounted pages is no finding
        none(fire(RAISE, new Finding("MEMINFO_GAP", "", 22_220L * 1024, "gap"), total), Hypothesis.class);
    }

    @Test void unmappedAnonOnTheLruIsNotCountedTwice() {
        // lab-thp: a 286 MiB gap of which 256 MiB are THPs nobody maps (the thp-refcount family's)
        Finding gap = new Finding("MEMINFO_GAP", "", 286L << 20, "gap");
        Finding excess = new Finding("ANON_LRU_EXCESS", "", 256L << 20, "excess");
        none(fire(RAISE, gap, total, excess), Hypothesis.class);
    }

    @Test void aSpecificPagePopulationTakesOver() {
        Hypothesis h = new Hypothesis("UNACCOUNTED_KERNEL_MEMORY", "memory in no counter", "t", "warning", 1, 150L << 20, -1, "s");
        Hypothesis frag = new Hypothesis("PAGE_FRAG_CACHE_LEAK", "pages", "t", "critical", 0, 128L << 20, 4096, "s");
        Evidence e = evidence(fire("A page population found in the vmcore accounts for the unexplained memory", h, frag));
        assertFalse(e.supports());
        assertTrue(e.text().contains("PAGE_FRAG_CACHE_LEAK"));
        Hypothesis small = new Hypothesis("NIC_RX_RING_PAGES", "p", "t", "critical", 0, 10L << 20, 160, "s");
        none(fire("A page population found in the vmcore accounts for the unexplained memory", h, small), Evidence.class);
        // the five-problem lab capture's shape: 343 MiB in no counter, page_frag and vmalloc 156 MiB each, neither half alone
        Hypothesis gap = new Hypothesis("UNACCOUNTED_KERNEL_MEMORY", "memory in no counter", "t", "warning", 1, 343L << 20, -1, "s");
        Hypothesis pf = new Hypothesis("PAGE_FRAG_CACHE_LEAK", "pages", "t", "warning", 1, 156L << 20, -1, "s");
        Hypothesis vm = new Hypothesis("VMALLOC_LEAK", "vmalloc", "t", "warning", 1, 156L << 20, -1, "s");
        none(fire("A page population found in the vmcore accounts for the unexplained memory", gap, pf), Evidence.class);
        Evidence both = evidence(fire("A page population found in the vmcore accounts for the unexplained memory", gap, pf, vm));
        assertFalse(both.supports());
        assertEquals("312 MiB of it is explained by the PAGE_FRAG_CACHE_LEAK and VMALLOC_LEAK hypotheses: see those verdicts", both.text());
    }

    @Test void nextCapturesAttributeThePages() {
        Hypothesis h = new Hypothesis("UNACCOUNTED_KERNEL_MEMORY", "memory in no counter", "t", "warning", 1, 1, -1, "s");
        assertTrue(next(fire("To attribute memory in no counter, group the pages by owner", h)).stream()
                .map(NextCapture::command).anyMatch(c -> c.contains("page_owner")));
    }

    @Test void aHyperVGuestOfAnOldKernelMayHoldTheBalloonInTheGap() {
        String rule = "On a Hyper-V guest whose balloon driver leaves ballooned pages in MemTotal, memory in no counter may be the balloon";
        Hypothesis h = hypothesis("UNACCOUNTED_KERNEL_MEMORY", "memory in no counter");
        dev.leakdx.facts.VmallocInfoEntry vmbus = new dev.leakdx.facts.VmallocInfoEntry(0, 0, 81_920, "hv_ringbuffer_init+0xb6/0x130 [hv_vmbus]",
                -1, "vmap", at("proc/vmallocinfo", 167));
        Evidence e = evidence(fire(rule, h, vmbus));
        assertFalse(e.supports());
        assertEquals(1.5, e.weight());
        dev.leakdx.facts.KernelModule balloon = new dev.leakdx.facts.KernelModule("hv_balloon", 32_768, 0, "", "Live", "", at("proc/modules", 3));
        assertEquals(2.0, evidence(fire(rule, h, balloon)).weight());
        // the current driver lowers MemTotal itself: no excuse on a 6.x kernel
        none(fire(rule, h, balloon, new dev.leakdx.facts.HostFact("kernel_release", "6.8.0-45-generic", "test", at("uname", 1))), Evidence.class);
        assertEquals(2.0, evidence(fire(rule, h, balloon, new dev.leakdx.facts.HostFact("kernel_release", "4.18.0-80.11.2.el8_0", "test", at("uname", 1)))).weight());
        // not a Hyper-V guest
        none(fire(rule, h), Evidence.class);
    }
}
