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
}
