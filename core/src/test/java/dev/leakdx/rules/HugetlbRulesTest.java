package dev.leakdx.rules;

import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.NextCapture;
import dev.leakdx.facts.HugePagePool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/hugetlb.drl with founding case 1's 16 nodes of 512 MiB huge pages (57 + 59x7 + 58x8). */
class HugetlbRulesTest {
    static final long HP = 512L << 20, P = 65536;
    final Object ram = host("ram_bytes", 8_362_460L * P);

    List<HugePagePool> nodes(boolean idle) {
        List<HugePagePool> l = new ArrayList<>();
        for (int n = 0; n < 16; n++) {
            long total = n == 0 ? 57 : n <= 7 ? 59 : 58;
            l.add(pool(Integer.toString(n), HP, total, idle ? total : total - 1, 100 + n));
        }
        return l;
    }

    @Test void idleOnEveryNodeRaisesTheHypothesisWith467GiB() {
        String rule = "Hugetlb pages on every node are all free: the pool is reserved and idle";
        List<Object> in = new ArrayList<>(nodes(true));
        in.add(ram);
        Diagnoser.Result r = fire(rule, in.toArray());
        Hypothesis h = one(r, Hypothesis.class);
        assertEquals("HUGETLB_RESERVED_IDLE", h.code());
        assertEquals(934L, h.pages());
        assertEquals(934L * HP, h.bytes()); // 467 GiB
        assertEquals("warning", h.severity()); // 91.5% of RAM, but a sizing problem, not a leak
        derivedFrom(r, h, rule, in.get(3));
    }

    @Test void onePoolInUseIsNotIdle() {
        List<Object> in = new ArrayList<>(nodes(false));
        in.add(ram);
        none(fire("Hugetlb pages on every node are all free: the pool is reserved and idle", in.toArray()), Hypothesis.class);
    }

    @Test void kmemIAloneRaisesItWhenNoNodeLines() {
        String rule = "kmem -i shows every huge page free: the pool is reserved and idle";
        Diagnoser.Result r = fire(rule, ram, kmemI("TOTAL HUGE", 7_651_328, P, 26), kmemI("HUGE FREE", 7_651_328, P, 27));
        Hypothesis h = one(r, Hypothesis.class);
        assertEquals(7_651_328L * P, h.bytes());
        // with per-node lines present the node rule speaks instead
        none(fire(rule, ram, nodes(true).get(0), kmemI("TOTAL HUGE", 7_651_328, P, 26), kmemI("HUGE FREE", 7_651_328, P, 27)), Hypothesis.class);
    }

    @Test void kmemIAgreementIsEvidence() {
        Hypothesis h = hypothesis("HUGETLB_RESERVED_IDLE", "hugetlb 512 MiB");
        Diagnoser.Result r = fire("kmem -i agrees that every huge page is free", h, nodes(true).get(0),
                kmemI("TOTAL HUGE", 7_651_328, P, 26), kmemI("HUGE FREE", 7_651_328, P, 27));
        Evidence e = evidence(r);
        assertTrue(e.supports());
        assertTrue(e.text().contains("100% free"));
    }

    @Test void exhaustedMemoryIsEvidence() {
        Hypothesis h = hypothesis("HUGETLB_RESERVED_IDLE", "hugetlb 512 MiB");
        Diagnoser.Result r = fire("Memory ran out while the hugetlb pool sat idle", h, kmemI("FREE", 29, P, 19), kmemI("TOTAL MEM", 8_362_460, P, 18));
        assertTrue(evidence(r).text().startsWith("free memory is 1.81 MiB"), evidence(r).text());
        none(fire("Memory ran out while the hugetlb pool sat idle", h, kmemI("FREE", 1_767_677, P, 19), kmemI("TOTAL MEM", 8_362_460, P, 18)), Evidence.class);
    }

    @Test void nextCapturesNameTheSysfsCounters() {
        Diagnoser.Result r = fire("An idle hugetlb pool is confirmed on the live host by its sysfs counters", hypothesis("HUGETLB_RESERVED_IDLE", "x"));
        assertTrue(next(r).stream().map(NextCapture::command).anyMatch(c -> c.contains("/sys/devices/system/node/node*/hugepages")));
    }

    static dev.leakdx.facts.EventCounter count(String name, long v, int line) {
        return new dev.leakdx.facts.EventCounter("meminfo", name, v, at("meminfo", line));
    }

    static dev.leakdx.facts.MemCounter hugepagesize() {
        return new dev.leakdx.facts.MemCounter("meminfo", "Hugepagesize", -1, 524_288L * 1024, at("meminfo", 49));
    }

    @Test void meminfoAloneShowsAnIdlePool() {
        String rule = "meminfo shows every default-size huge page free: the pool is reserved and idle";
        Hypothesis h = one(fire(rule, ram, count("HugePages_Total", 934, 45), count("HugePages_Free", 934, 46), hugepagesize()), Hypothesis.class);
        assertEquals(934L * HP, h.bytes());
        // pages reserved for a mapping are promised to a user: not idle
        none(fire(rule, ram, count("HugePages_Total", 934, 45), count("HugePages_Free", 934, 46), count("HugePages_Rsvd", 10, 47), hugepagesize()), Hypothesis.class);
    }

    @Test void aPoolInUseIsInformation() {
        String rule = "The hugetlb pool is in use";
        Hypothesis h = one(fire(rule, ram, count("HugePages_Total", 934, 45), count("HugePages_Free", 100, 46), hugepagesize()), Hypothesis.class);
        assertEquals("info", h.severity());
        assertTrue(h.summary().contains("417 GiB are in use"), h.summary());
    }
}
