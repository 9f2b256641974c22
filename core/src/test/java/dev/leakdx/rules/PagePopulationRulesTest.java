package dev.leakdx.rules;

import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.Finding;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.PagePopulation;
import dev.leakdx.facts.PageGroup;
import dev.leakdx.facts.PipelineCount;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/page-population.drl with founding case 1's 17 groups of refcount 0xffff pages. */
class PagePopulationRulesTest {
    static final long P = 65536, POISON1 = 0xdead000000000100L;
    static final long[] COUNTS = {45788, 47697, 47075, 47022, 46971, 46808, 46892, 43058, 36569, 38351, 37636, 30459, 37683, 37898, 37757, 15744, 18305};

    static List<PageGroup> case1Groups() {
        List<PageGroup> l = new ArrayList<>();
        for (int i = 0; i < COUNTS.length; i++) l.add(group("LIST_POISON1", POISON1, "NULL", -1, 0xffff, COUNTS[i], 0, List.of(), "kmem-m-grouped.txt", 2 + i));
        return l;
    }

    @Test void seventeenGroupsAreOnePopulationOf661713Pages() {
        String rule = "Pages off every list with one abnormal refcount form a population";
        List<Object> in = new ArrayList<>(case1Groups());
        in.add(host("page_size", P));
        in.add(group("POINTER", 0, "NULL", -1, 1, 1_000_000, 0, List.of(), "kmem-m-grouped.txt", 40)); // ordinary pages
        Diagnoser.Result r = fire(rule, in.toArray());
        PagePopulation p = one(r, PagePopulation.class);
        assertEquals(661_713L, p.pages());
        assertEquals(661_713L * P, p.bytes());
        assertEquals(17, p.groups());
        assertEquals(0xffff, p.refcount());
        assertEquals(0, p.order());
        derivedFrom(r, p, rule, in.get(0));
    }

    @Test void smallPopulationsAreNoise() {
        Diagnoser.Result r = fire("Pages off every list with one abnormal refcount form a population", host("page_size", 4096),
                group("ZERO", 0, "NULL", -1, 0x8000, 10, 70, List.of(), "kmem-m.txt", 9));
        RuleHarness.none(r, PagePopulation.class);
    }

    @Test void aFewThousandPagesAreAPopulationAsSixHundredThousandAre() {
        // 3,000 NIC ring pages of 4 KiB (11.7 MiB): over the norm's 1,024 pages, under the former 64 MiB floor
        Diagnoser.Result r = fire("Pages off every list with one abnormal refcount form a population", host("page_size", 4096),
                group("LIST_POISON1", POISON1, "NULL", -1, 0xffff, 3000, 0, List.of(), "kmem-m.txt", 7));
        PagePopulation p = one(r, PagePopulation.class);
        assertEquals(3000L * 4096, p.bytes());
        // and the NIC / page_frag discrimination reads it as it reads case 1's 661,713 pages
        Hypothesis nic = one(fire("A population with refcount USHRT_MAX may be NIC RX ring pages", p, host("ram_bytes", 2L << 30)), Hypothesis.class);
        assertEquals("info", nic.severity(), "11.7 MiB is 0.6% of 2 GiB: named, not alarming");
        none(fire("A population whose refcount fits an idle page_frag_cache may be undrained frag caches", p, host("ram_bytes", 2L << 30)), Hypothesis.class);
        // 1,000 pages is what 500 CPUs' idle frag caches can hold: not a population
        none(fire("Pages off every list with one abnormal refcount form a population", host("page_size", 4096),
                group("ZERO", 0, "NULL", -1, 0x8000, 1000, 7000, List.of(), "kmem-m.txt", 9)), PagePopulation.class);
    }

    @Test void compoundPopulationCountsItsTails() {
        Diagnoser.Result r = fire("Pages off every list with one abnormal refcount form a population", host("page_size", 4096),
                group("ZERO", 0, "NULL", -1, 0x8000, 4096, 28_672, List.of(0xfffff534800c1600L), "kmem-m.txt.xz", 12379));
        PagePopulation p = one(r, PagePopulation.class);
        assertEquals(3, p.order());
        assertEquals(128L << 20, p.bytes());
    }

    @Test void populationIsShared() {
        PagePopulation p = PagePopulation.of(case1Groups(), P);
        Diagnoser.Result r = fire("The population is what crash counts as SHARED", p, kmemI("SHARED", 666_625, P, 21));
        Finding f = finding(r);
        assertEquals("POPULATION_IS_SHARED", f.code());
        assertTrue(f.summary().startsWith("661,713 of SHARED's 666,625 pages (99.3%)"), f.summary());
        none(fire("The population is what crash counts as SHARED", p, kmemI("SHARED", 4_000_000, P, 21)), Finding.class);
    }

    @Test void grepCountOfPoisonedPages() {
        PipelineCount c = new PipelineCount("kmem -m lru.next", "grep dead000", 696_512, at("vmcore-session.txt", 24));
        Diagnoser.Result r = fire("A grep count of LIST_POISON1 pages bounds the population", c, host("page_size", P));
        Finding f = finding(r);
        assertEquals(696_512L * P, f.bytes());
        assertTrue(f.summary().contains("42.5 GiB"), f.summary());
    }
}
