package dev.leakdx.rules;

import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.NextCapture;
import dev.leakdx.engine.PagePopulation;
import dev.leakdx.facts.AddressTranslation;
import dev.leakdx.facts.KernelStruct;
import dev.leakdx.facts.PageGroup;
import dev.leakdx.facts.PerCpuAddress;
import dev.leakdx.facts.SearchHit;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rules/page-frag.drl. The lab case (x86_64, 4 KiB pages, order-3 pages with refcount 32768
 * held by real frag caches) must support the hypothesis; founding case 1's records (struct
 * page pointers 0x20 apart) must refute it.
 */
class PageFragRulesTest {
    static final long LAB_PAGE = 0xfffff534800c1600L, LAB_VA = 0xffff8ee243058000L, LAB_CACHE = 0xffff8ee2bff85408L;
    static final long C1_PAGE = 0xffff7fee5b008000L, C1_HIT = 0xffff000061fa9ef0L;

    final PageGroup labGroup = group("ZERO", 0, "NULL", -1, 32768, 4096, 28_672, List.of(LAB_PAGE), "kmem-m.txt.xz", 12379);
    final PagePopulation lab = PagePopulation.of(List.of(labGroup), 4096);
    final PageGroup c1Group = group("LIST_POISON1", 0xdead000000000100L, "NULL", -1, 0xffff, 661_713, 0,
            List.of(C1_PAGE, C1_PAGE + 0x40, C1_PAGE + 0x80), "vmcore-session.txt", 30);
    final PagePopulation c1 = PagePopulation.of(List.of(c1Group), 65536);

    Hypothesis pf(PagePopulation p) { return hypothesis("PAGE_FRAG_CACHE_LEAK", p.subject()); }

    @Test void raisedForTheFragRefcountOnlyNotForOrdinaryCounts() {
        String rule = "A population whose refcount fits an idle page_frag_cache may be undrained frag caches";
        Hypothesis h = one(fire(rule, lab, host("ram_bytes", 498_930L * 4096)), Hypothesis.class);
        assertEquals("PAGE_FRAG_CACHE_LEAK", h.code());
        assertEquals(128L << 20, h.bytes());
        assertEquals("critical", h.severity()); // 6.6% of RAM
        // 64 KiB pages: MAX 65536, so 0xffff fits too (the lookalike of founding case 1)
        assertEquals(1, all(fire(rule, c1, host("ram_bytes", 8_362_460L * 65536)), Hypothesis.class).size());
        PagePopulation pinned = PagePopulation.of(List.of(group("ZERO", 0, "NULL", -1, 2048, 50_000, 0, List.of(), "f", 1)), 4096);
        none(fire(rule, pinned, host("ram_bytes", 1L << 31)), Hypothesis.class);
    }

    @Test void orderThreeFitsFourKibPages() {
        Evidence e = evidence(fire("The pages have the order a frag cache refill allocates", pf(lab), lab));
        assertTrue(e.supports());
        assertTrue(e.text().contains("32 KiB (order 3)"), e.text());
    }

    @Test void searchOfTheVirtualAddressFindingTheCacheIsDecisive() {
        String rule = "Search of a leaked page's virtual address hits a page_frag_cache that holds it with bias == refcount";
        KernelStruct cache = struct("page_frag_cache", LAB_CACHE, 1157, "va", "0xffff8ee243058000", "offset", "30720", "size", "32768",
                "pagecnt_bias", "32768", "pfmemalloc", "false");
        SearchHit hit = hit(LAB_VA, LAB_CACHE, 1297);
        Diagnoser.Result r = fire(rule, pf(lab), lab, cache, hit, page(LAB_VA, LAB_PAGE, 0x3058000, 32768, 1283));
        Evidence e = evidence(r);
        assertTrue(e.supports());
        assertEquals(3.0, e.weight());
        derivedFrom(r, e, rule, hit);
        derivedFrom(r, e, rule, cache);
    }

    @Test void recordThatReadsAsAFragCacheIsOnlySuggestive() {
        KernelStruct asCache = struct("page_frag_cache", C1_HIT, 40, "va", "0xffff7fee5b008000", "offset", "66", "pagecnt_bias", "65535", "pfmemalloc", "false");
        Evidence e = evidence(fire("The memory at a search hit reads as a page_frag_cache with bias == refcount", pf(c1), c1, asCache, hit(C1_PAGE, C1_HIT, 38)));
        assertTrue(e.supports());
        assertEquals(1.5, e.weight());
    }

    @Test void storedStructPageAddressRefutes() {
        String rule = "The holder stores a struct page address, but a page_frag_cache stores a virtual address";
        Diagnoser.Result r = fire(rule, pf(c1), c1, c1Group, hit(C1_PAGE, C1_HIT, 38));
        Evidence e = evidence(r);
        assertFalse(e.supports());
        assertEquals(4.0, e.weight());
        // the lab's hit stores a virtual address: no refutation
        none(fire(rule, pf(lab), lab, labGroup, hit(LAB_VA, LAB_CACHE, 1297)), Evidence.class);
    }

    @Test void noHitForTheDirectMapAddressRefutes() {
        String rule = "Search of the page's direct-map address finds no frag cache";
        long phys = 0x5b0200000L, virt = 0xffff8005b0200000L;
        Diagnoser.Result r = fire(rule, pf(c1), c1, page(C1_PAGE, C1_PAGE, phys, 0xffff, 50),
                new AddressTranslation(virt, phys, "ptov", at("vmcore-session-2.txt", 55)), search(virt, 0, 58));
        Evidence e = evidence(r);
        assertFalse(e.supports());
        assertEquals(4.0, e.weight());
        none(fire(rule, pf(c1), c1, page(C1_PAGE, C1_PAGE, phys, 0xffff, 50),
                new AddressTranslation(virt, phys, "ptov", at("x", 55)), search(virt, 1, 58)), Evidence.class);
    }

    @Test void thirtyTwoByteStrideRefutesWeakly() {
        Diagnoser.Result r = fire("The holders are 32 bytes apart, not sizeof(struct page_frag_cache)", pf(c1), c1, c1Group,
                hit(C1_PAGE, C1_HIT, 38), hit(C1_PAGE + 0x40, C1_HIT + 0x20, 48));
        Evidence e = evidence(r);
        assertFalse(e.supports());
        assertEquals(1.0, e.weight());
    }

    @Test void emptyPerCpuCachesRefuteWeakly() {
        String rule = "The per-CPU frag caches hold no page";
        PerCpuAddress a0 = new PerCpuAddress("napi_alloc_cache", "struct napi_alloc_cache", 0, 0xffff00ff7fd0e8c0L, at("s", 70));
        PerCpuAddress a1 = new PerCpuAddress("netdev_alloc_cache", "struct page_frag_cache", 0, 0xffff00ff7fd0f000L, at("s", 80));
        KernelStruct s0 = struct("page_frag_cache", 0xffff00ff7fd0e8c0L, 90, "va", "0x0", "offset", "0", "pagecnt_bias", "0");
        KernelStruct s1 = struct("page_frag_cache", 0xffff00ff7fd0f000L, 96, "va", "0x0", "offset", "0", "pagecnt_bias", "0");
        Evidence e = evidence(fire(rule, pf(c1), c1, a0, a1, s0, s1));
        assertFalse(e.supports());
        assertTrue(e.text().startsWith("2 per-CPU"), e.text());
        KernelStruct busy = struct("page_frag_cache", 0xffff00ff7fd0f000L, 96, "va", "0xffff800012340000", "offset", "0", "pagecnt_bias", "3");
        none(fire(rule, pf(c1), c1, a0, a1, s0, busy), Evidence.class);
    }

    @Test void nextCaptureNamesTheDecidingSearch() {
        Diagnoser.Result r = fire("To tell a frag cache from other holders, search for the page's virtual address", pf(c1), c1);
        NextCapture n = one(r, NextCapture.class);
        assertTrue(n.command().startsWith("kmem ffff7fee5b008000\nptov"), n.command());
        assertEquals(NextCapture.CRASH, n.where());
    }

    @Test void ownerOfAFoundCache() {
        KernelStruct cache = struct("page_frag_cache", LAB_CACHE, 1157, "va", "0xffff8ee243058000");
        Diagnoser.Result r = fire("To find who owns an undrained frag cache, look at the object around it", pf(lab), cache, hit(LAB_VA, LAB_CACHE, 1297));
        assertTrue(next(r).stream().anyMatch(n -> n.command().equals("kmem ffff8ee2bff85408")));
    }
}
