package dev.leakdx.rules;

import dev.leakdx.TestKnowledge;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.explain.Explainer;
import dev.leakdx.explain.Report;
import dev.leakdx.extract.Sink;
import dev.leakdx.facts.EventCounter;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.PageTypesRow;
import dev.leakdx.facts.SlabCache;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 point 6: one 64 GiB host (6.1, 4 KiB pages) with five problems at once, every rule
 * firing: undrained page_frag caches (60,000 order-3 pages), leaked THPs (1,000 whole, unmapped),
 * a kmalloc-192 slab leak (6 GiB SUnreclaim), a vmalloc leak (ring_alloc [leaky], 2 GiB) and an
 * idle 8 GiB hugetlb pool. BUILT facts: the shapes are those of the real captures the single-family
 * tests use (lab-pfrag's kmem -m group, case 2's page-types rows, slabinfo rows, vmallocinfo areas,
 * hugetlb meminfo lines), the sizes are chosen so meminfo adds up (MemFree is the rest). Each
 * problem must be reported, sized, and ranked by severity, certainty and bytes.
 */
class SeveralProblemsTest {
    static MemCounter mi(String name, long kb, int line) { return new MemCounter("meminfo", name, -1, kb * 1024, at("proc/meminfo", line)); }

    @Test void fiveConcurrentProblemsAreAllReportedAndSized() {
        List<Object> in = new ArrayList<>();
        in.add(host("page_size", 4096));
        in.add(host("ram_bytes", 64L << 30));
        Map<String, Long> kb = new LinkedHashMap<>();
        kb.put("MemTotal", 67_108_864L); kb.put("MemFree", 32_338_768L); kb.put("Buffers", 102_400L); kb.put("Cached", 8_388_608L);
        kb.put("SwapCached", 0L); kb.put("Active(anon)", 5_996_256L); kb.put("Inactive(anon)", 500_000L); kb.put("AnonPages", 4_194_304L);
        kb.put("Mapped", 300_000L); kb.put("Shmem", 204_800L); kb.put("SReclaimable", 1_048_576L); kb.put("SUnreclaim", 6_291_456L);
        kb.put("KernelStack", 48_000L); kb.put("PageTables", 81_920L); kb.put("SecPageTables", 0L); kb.put("VmallocUsed", 2_186_112L);
        kb.put("Percpu", 40_960L); kb.put("AnonHugePages", 0L); kb.put("Hugepagesize", 2048L); kb.put("Hugetlb", 8_388_608L);
        int line = 1;
        for (Map.Entry<String, Long> e : kb.entrySet()) in.add(mi(e.getKey(), e.getValue(), line++));
        in.add(new EventCounter("meminfo", "HugePages_Total", 4096, at("proc/meminfo", 40)));
        in.add(new EventCounter("meminfo", "HugePages_Free", 4096, at("proc/meminfo", 41)));
        in.add(new EventCounter("meminfo", "HugePages_Rsvd", 0, at("proc/meminfo", 42)));
        // 1: page_frag (lab-pfrag's group shape: order 3, CNT 0x8001, lru.next zero, mapping NULL)
        in.add(group("ZERO", 0, "NULL", -1, 0x8001, 60_000, 420_000, List.of(), "crash/kmem-m.txt", 12));
        // 2: THPs (case 2's rows, 4 KiB pages: 511 tails a head)
        in.add(new PageTypesRow(0x40507cL, 1000, "__RUDlA_____a_b_______t___", "referenced,uptodate,dirty,lru,active,anonymous,swapbacked,thp", at("proc/page-types.txt", 9)));
        in.add(new PageTypesRow(0x401000L, 511_000, "____________a_________t___", "anonymous,thp", at("proc/page-types.txt", 8)));
        // 3: slab (a slabinfo row: 5.5 GiB of one-page slabs)
        in.add(new SlabCache("kmalloc-192", 30_000_000, 30_030_000, 192, 21, 1, 1_441_792, 1_441_792, "slabinfo", at("proc/slabinfo", 60)));
        // 4: vmalloc (VmallocRulesTest's areas: 512 x 4 MiB by ring_alloc [leaky], 3,000 stacks, a module)
        in.addAll(VmallocRulesTest.leak());
        // 5: the idle hugetlb pool is in the meminfo lines above
        Diagnoser.Result r = TestKnowledge.diagnoser().reason("five", in, new Sink(), null);
        Report report = new Explainer(r, "test").explain();
        Map<String, Report.Verdict> got = new LinkedHashMap<>();
        for (Report.Verdict v : report.verdicts()) got.putIfAbsent(v.code(), v);
        for (String code : List.of("PAGE_FRAG_CACHE_LEAK", "THP_REFCOUNT_LEAK", "SLAB_LEAK", "VMALLOC_LEAK", "HUGETLB_RESERVED_IDLE"))
            assertTrue(got.containsKey(code), code + " is missing from " + got.keySet());
        assertEquals(60_000L * 32768, got.get("PAGE_FRAG_CACHE_LEAK").bytes());
        assertEquals(1000L << 21, got.get("THP_REFCOUNT_LEAK").bytes());
        assertEquals(6_291_456L * 1024, got.get("SLAB_LEAK").bytes());
        assertEquals(512L * 1024 * 4096 + 10240L * 4096, got.get("VMALLOC_LEAK").bytes(), "ring_alloc and the module, stacks left out");
        assertEquals(8L << 30, got.get("HUGETLB_RESERVED_IDLE").bytes());
        assertTrue(got.get("SLAB_LEAK").summary().contains("kmalloc-192"), got.get("SLAB_LEAK").summary());
        assertTrue(got.get("VMALLOC_LEAK").summary().contains("ring_alloc [leaky]"), got.get("VMALLOC_LEAK").summary());
        // ranked by severity, then certainty, then bytes: every warning before any info
        List<String> order = report.verdicts().stream().map(v -> v.severity()).toList();
        List<String> sorted = new ArrayList<>(order);
        sorted.sort(java.util.Comparator.comparingInt(s -> s.equals("critical") ? 0 : s.equals("warning") ? 1 : 2));
        assertEquals(sorted, order, "severity order: " + report.verdicts().stream().map(v -> v.code() + " " + v.severity() + " " + v.confidence()).toList());
    }
}
