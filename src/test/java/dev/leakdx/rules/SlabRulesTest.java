package dev.leakdx.rules;

import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.MemInfoDelta;
import dev.leakdx.engine.NextCapture;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.OomSlabRow;
import dev.leakdx.facts.SlabCache;
import org.junit.jupiter.api.Test;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/slab.drl: a 6 GiB kmalloc-256 leak on a 16 GiB host, and a 9 GiB dentry cache that reclaims. */
class SlabRulesTest {
    static MemCounter mi(String name, long kb, int line) { return new MemCounter("meminfo", name, -1, kb * 1024, at("meminfo", line)); }

    static MemCounter mi(String name, long kb, String snapshot) {
        return new MemCounter("meminfo", name, -1, kb * 1024, at("meminfo." + snapshot, 24, "", snapshot));
    }

    final MemCounter total = mi("MemTotal", 16L << 20, 1);
    final SlabCache kmalloc256 = new SlabCache("kmalloc-256", 24_000_000, 24_100_000, 256, 16, 1, 1_506_250, 1_506_250, "slabinfo", at("slabinfo", 40));
    final SlabCache dentry = new SlabCache("dentry", 40_000_000, 40_000_000, 192, 21, 1, 1_904_762, 1_904_762, "slabinfo", at("slabinfo", 12));
    final Hypothesis leak = hypothesis("SLAB_LEAK", "unreclaimable slab");

    @Test void largeSUnreclaimIsALeakAndNamesTheUnreclaimableCache() {
        Hypothesis h = one(fire("Unreclaimable slab holds a large share of memory: a slab leak", total, mi("SUnreclaim", 6L << 20, 24),
                host("page_size", 4096), kmalloc256, dentry), Hypothesis.class);
        assertEquals(6L << 30, h.bytes());
        assertEquals("critical", h.severity()); // 37.5%
        assertTrue(h.summary().contains("kmalloc-256"), "the dentry cache is reclaimable and is not named: " + h.summary());
        none(fire("Unreclaimable slab holds a large share of memory: a slab leak", total, mi("SUnreclaim", 300_000, 24), host("page_size", 4096)), Hypothesis.class);
    }

    @Test void topCacheHoldsMostOfIt() {
        Evidence e = evidence(fire("One slab cache holds most of the unreclaimable slab", leak, host("page_size", 4096), mi("SUnreclaim", 6L << 20, 24), kmalloc256, dentry));
        assertTrue(e.text().startsWith("slab cache kmalloc-256 holds 5.75 GiB"), e.text());
    }

    @Test void oomSlabTable() {
        Evidence e = evidence(fire("The OOM report listed the unreclaimable slab", leak,
                new OomSlabRow("kmalloc-256", 6L << 30, 6L << 30, at("dmesg.txt", 80)), new OomSlabRow("task_struct", 1L << 20, 2L << 20, at("dmesg.txt", 81))));
        assertTrue(e.text().contains("largest kmalloc-256 6 GiB"), e.text());
    }

    @Test void nextCaptures() {
        assertTrue(next(fire("To find who allocates the leaking objects, trace the cache", leak)).stream()
                .map(NextCapture::command).anyMatch(c -> c.contains("slub_nomerge")));
    }

    @Test void reclaimableCachesAreInformation() {
        String rule = "Large caches that reclaim are not a leak";
        Hypothesis h = one(fire(rule, total, mi("Cached", 2L << 20, 5), mi("Shmem", 100_000, 21), mi("SReclaimable", 9L << 20, 23),
                mi("MemAvailable", 11L << 20, 3)), Hypothesis.class);
        assertEquals("info", h.severity());
        // without available memory it is no reassurance
        none(fire(rule, total, mi("Cached", 2L << 20, 5), mi("Shmem", 100_000, 21), mi("SReclaimable", 9L << 20, 23), mi("MemAvailable", 500_000, 3)), Hypothesis.class);
    }

    @Test void dropCachesProvesIt() {
        Hypothesis h = hypothesis("RECLAIMABLE_CACHE", "reclaimable caches");
        MemInfoDelta d = new MemInfoDelta("meminfo", "", "SReclaimable", "drop_caches", mi("SReclaimable", 9L << 20, "before_drop_caches"),
                mi("SReclaimable", 300_000, "after_drop_caches"));
        assertTrue(evidence(fire("drop_caches gave the cache back", h, d)).supports());
    }

    @Test void slabThatSurvivesDropCaches() {
        MemInfoDelta d = new MemInfoDelta("meminfo", "", "SUnreclaim", "drop_caches", mi("SUnreclaim", 6L << 20, "before_drop_caches"),
                mi("SUnreclaim", (6L << 20) - 1000, "after_drop_caches"));
        assertTrue(evidence(fire("Unreclaimable slab that does not fall with drop_caches", leak, d)).supports());
    }

    @Test void anOomSlabTableAloneRaisesIt() {
        String rule = "An OOM report's unreclaimable slab table shows a slab leak";
        Hypothesis h = one(fire(rule, new OomSlabRow("kmemleak_object", 2_449_340L * 1024, 2_449_340L * 1024, at("dmesg.txt", 145)),
                new OomSlabRow("kmalloc-128", 100L << 20, 120L << 20, at("dmesg.txt", 146))), Hypothesis.class);
        assertEquals(2_449_340L * 1024 + (120L << 20), h.bytes());
        assertTrue(h.summary().contains("kmemleak_object"), h.summary());
        // with meminfo the meminfo rule decides
        none(fire(rule, new OomSlabRow("x", 1L << 30, 1L << 30, at("dmesg.txt", 5)), mi("SUnreclaim", 1000, 24)), Hypothesis.class);
    }
}
