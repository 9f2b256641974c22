package dev.leakdx.rules;

import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.NextCapture;
import dev.leakdx.engine.PagePopulation;
import dev.leakdx.facts.AddressTranslation;
import dev.leakdx.facts.KernelStruct;
import dev.leakdx.facts.PageGroup;
import dev.leakdx.facts.RawMemory;
import dev.leakdx.facts.VmallocArea;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/nic-rx-ring.drl with founding case 1's records (CASES.md steps 10-14). */
class NicRxRingRulesTest {
    static final long PAGE = 0xffff7fee5b008000L, HIT = 0xffff000061fa9ef0L, PHYS = 0x5b0200000L;
    final PageGroup g = group("LIST_POISON1", 0xdead000000000100L, "NULL", -1, 0xffff, 661_713, 0,
            List.of(PAGE, PAGE + 0x40, PAGE + 0x80), "vmcore-session.txt", 30);
    final PagePopulation pop = PagePopulation.of(List.of(g), 65536);
    final Hypothesis nic = hypothesis("NIC_RX_RING_PAGES", pop.subject());
    // struct ixgbe_rx_buffer {skb, dma, page, page_offset | pagecnt_bias << 32}: from the dma before the hit
    final RawMemory words = new RawMemory(HIT - 8, 8, List.of(PHYS, PAGE, 0x0000ffff00000042L, 0L, PHYS + 0x10000, PAGE + 0x40, 0x0000ffff00000042L),
            at("vmcore-session-2.txt", 90));

    @Test void raisedForUshrtMaxOnly() {
        String rule = "A population with refcount USHRT_MAX may be NIC RX ring pages";
        Hypothesis h = one(fire(rule, pop, host("ram_bytes", 8_362_460L * 65536)), Hypothesis.class);
        assertEquals(661_713L * 65536, h.bytes());
        assertEquals("critical", h.severity()); // 7.9% of RAM
        PagePopulation frag = PagePopulation.of(List.of(group("ZERO", 0, "NULL", -1, 32768, 4096, 28_672, List.of(), "f", 1)), 4096);
        none(fire(rule, frag, host("ram_bytes", 1L << 31)), Hypothesis.class);
    }

    @Test void exactUshrtMax() {
        assertTrue(evidence(fire("The refcount is exactly USHRT_MAX, the idle value of a ring page", nic, pop)).supports());
    }

    @Test void holderStoresStructPage() {
        Evidence e = evidence(fire("The holder stores the struct page address, as rx_buffer_info[].page does", nic, pop, g, hit(PAGE, HIT, 38)));
        assertEquals(2.0, e.weight());
    }

    @Test void stride32() {
        Evidence e = evidence(fire("The holders are 32-byte records, the size of an RX buffer entry", nic, pop, g,
                hit(PAGE, HIT, 38), hit(PAGE + 0x40, HIT + 0x20, 48)));
        assertTrue(e.text().contains("0x20 apart"));
    }

    @Test void bufferLayoutFromRawWords() {
        Diagnoser.Result r = fire("The word after the page pointer holds page_offset and pagecnt_bias == refcount", nic, pop, g, hit(PAGE, HIT, 38), words);
        Evidence e = evidence(r);
        assertTrue(e.text().contains("page_offset 66, pagecnt_bias 0xffff"), e.text());
        derivedFrom(r, e, "The word after the page pointer holds page_offset and pagecnt_bias == refcount", words);
    }

    @Test void dmaIsThePhysicalAddress() {
        Evidence e = evidence(fire("The DMA address beside the page pointer is the page's physical address", nic, pop,
                hit(PAGE, HIT, 38), page(PAGE, PAGE, PHYS, 0xffff, 50), words));
        assertTrue(e.text().contains("0x5b0200000"), e.text());
    }

    @Test void holderInVmalloc() {
        VmallocArea area = new VmallocArea(0, 0xffff8000aaaa0000L, 0xffff000061f80000L, 0xffff000061fc0000L, 0x40000, at("s", 120));
        Evidence e = evidence(fire("The holder array lives in vmalloc space, where rx_buffer_info is allocated", nic, pop, g, hit(PAGE, HIT, 38), area));
        assertTrue(e.supports());
    }

    @Test void noVirtualAddressHolder() {
        long virt = 0xffff8005b0200000L;
        Evidence e = evidence(fire("Search of the page's direct-map address finds nothing, as expected of a ring page", nic, pop,
                page(PAGE, PAGE, PHYS, 0xffff, 50), new AddressTranslation(virt, PHYS, "ptov", at("s", 55)), search(virt, 0, 58)));
        assertTrue(e.supports());
    }

    @Test void adapterCountersAddUp() {
        KernelStruct[] a = new KernelStruct[4];
        long[] n = {177_492, 177_492, 177_492, 177_492}; // 709,968
        for (int i = 0; i < 4; i++) a[i] = struct("ixgbe_adapter", 0xffff800100000000L + i * 0x10000L, 200 + i * 5, "alloc_rx_page", Long.toString(n[i]));
        Evidence e = evidence(fire("The adapters' alloc_rx_page counters add up to the population", nic, pop, a[0], a[1], a[2], a[3]));
        assertTrue(e.text().startsWith("alloc_rx_page summed over 4 adapter(s) is 709,968 pages, 107.3%"), e.text());
        none(fire("The adapters' alloc_rx_page counters add up to the population", nic, pop, a[0]), Evidence.class);
    }

    @Test void nextCapturesUseTheHitAddress() {
        Diagnoser.Result r = fire("To confirm a NIC ring holds the pages, read the holder and the adapters", nic, pop, g, hit(PAGE, HIT, 38));
        assertTrue(next(r).stream().map(NextCapture::command).anyMatch(c -> c.equals("x/8xg ffff000061fa9ef0")));
        // no search of a virtual address yet: the deciding capture is asked for
        assertTrue(next(r).stream().map(NextCapture::command).anyMatch(c -> c.startsWith("kmem ffff7fee5b008000\nptov")));
    }
}
