package dev.leakdx.rules;

import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.MemInfoDelta;
import dev.leakdx.engine.NextCapture;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.OomSlabRow;
import dev.leakdx.facts.SlabCache;
import dev.leakdx.engine.Diagnoser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        Hypothesis h = one(fire("Unreclaimable slab is above its norm for this RAM: a slab leak", total, mi("SUnreclaim", 6L << 20, 24),
                host("page_size", 4096), kmalloc256, dentry), Hypothesis.class);
        assertEquals(6L << 30, h.bytes());
        assertEquals("critical", h.severity()); // 37.5%
        assertTrue(h.summary().contains("kmalloc-256"), "the dentry cache is reclaimable and is not named: " + h.summary());
        none(fire("Unreclaimable slab is above its norm for this RAM: a slab leak", total, mi("SUnreclaim", 300_000, 24), host("page_size", 4096)), Hypothesis.class);
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

    // --- issue 11: baselines first, proportions, partial captures -------------------------------

    static dev.leakdx.facts.TrendPoint point(String what, String snap, double h, long bytes, int line) {
        return new dev.leakdx.facts.TrendPoint(what, snap, h, bytes, at((snap.isEmpty() ? "proc" : "proc-" + snap) + "/slabinfo", line, "", snap));
    }

    /** trend-slab-growth-built's figures: kmalloc-256 and SUnreclaim over 5 snapshots, 8 h, on 7.75 GiB. */
    static dev.leakdx.facts.SlabTrend kmallocGrowth() {
        long[] b = {8_192_000, 71_106_560, 134_021_120, 196_935_680, 259_850_240};
        String[] snaps = {"t1", "t2", "t3", "t4", ""};
        List<dev.leakdx.facts.TrendPoint> pts = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) pts.add(point("slab cache kmalloc-256", snaps[i], 2.0 * i, b[i], 142));
        return new dev.leakdx.facts.SlabTrend("", "kmalloc-256", pts, 31_997, 1_015_037, 256, "wall clock", 8_322_000_000L, 6_000_000_000L, pts.get(4).provenance());
    }

    static dev.leakdx.facts.CounterTrend sunreclaimGrowth(long first, long last) {
        List<dev.leakdx.facts.TrendPoint> pts = List.of(new dev.leakdx.facts.TrendPoint("meminfo SUnreclaim", "t1", 0, first, at("proc-t1/meminfo", 27, "", "t1")),
                new dev.leakdx.facts.TrendPoint("meminfo SUnreclaim", "", 8, last, at("proc/meminfo", 27)));
        return new dev.leakdx.facts.CounterTrend("meminfo", "", "SUnreclaim", "kernel", pts, "wall clock", 8_322_000_000L, 6_000_000_000L, pts.get(1).provenance());
    }

    @Test void aCacheThatExplainsSUnreclaimGrowthIsTheSlabLeak() {
        String rule = "One unreclaimable cache grew by most of SUnreclaim's growth: a slab leak in that cache";
        MemCounter t = new MemCounter("meminfo", "MemTotal", -1, 8_322_000_000L, at("proc/meminfo", 1));
        MemCounter u = new MemCounter("meminfo", "SUnreclaim", -1, 317_416L * 1024, at("proc/meminfo", 27));
        Hypothesis h = one(fire(rule, kmallocGrowth(), sunreclaimGrowth(73_375_744L, 317_416L * 1024), t, u, host("ram_bytes", 8_322_000_000L)), Hypothesis.class);
        assertEquals("SLAB_LEAK", h.code());
        assertEquals(251_658_240L, h.bytes(), "sized by the growth, not by what SUnreclaim holds now (317,416 kB)");
        assertEquals("warning", h.severity(), "a steady growth of 3% of RAM is past the growth norm's 1%");
        assertTrue(h.summary().startsWith("slab cache kmalloc-256 grew +240 MiB"), h.summary());
        assertTrue(h.summary().contains("of which this cache is 100.0%"), h.summary());
        assertTrue(h.summary().contains("the growth norm for 7.75 GiB of RAM (16 MiB + 0.5% of RAM"), h.summary());
        // a cache that is a small part of SUnreclaim's growth does not explain it
        none(fire(rule, kmallocGrowth(), sunreclaimGrowth(0, 4L << 30), t, u), Hypothesis.class);
    }

    @Test void aSlabinfoSeriesAloneWhereOneCacheOnlyGrowsIsASlabLeak() {
        String rule = "One unreclaimable cache grew by most of SUnreclaim's growth: a slab leak in that cache";
        Hypothesis h = one(fire(rule, kmallocGrowth()), Hypothesis.class);
        assertEquals(251_658_240L, h.bytes(), "sized by the cache's growth (it holds 259,850,240 now)");
        assertEquals("info", h.severity(), "RAM unknown: 240 MiB of growth is under the growth norm's 1 GiB");
        assertTrue(h.summary().contains("no meminfo was captured"), h.summary());
        assertTrue(h.summary().contains("RAM unknown"), h.summary());
        assertTrue(next(fire("To size a slab leak seen without meminfo, capture meminfo", leak)).stream()
                .anyMatch(n -> n.command().equals("cat /proc/meminfo")));
    }

    static SlabCache slabtop(String name, long objs, long objSize, long slabs, long slabBytes, int line) {
        return new SlabCache(name, objs, objs, objSize, -1, -1, -1, slabs, "slabtop", slabBytes, at("slabtop.txt", line));
    }

    @Test void slabtopAloneWithOneHugeUnreclaimableCacheIsASlabLeakInBytes() {
        String rule = "One unreclaimable slab cache is far out of proportion with the others: a slab leak";
        // 28 GiB of kmalloc-64 among ordinary caches; no meminfo, no RAM
        SlabCache big = slabtop("kmalloc-64", 469_762_048, 64, 7_340_032, 4096, 8);
        Hypothesis h = one(fire(rule, big, slabtop("dentry", 900_000, 192, 42_858, 4096, 9), slabtop("kmalloc-512", 200_000, 512, 12_500, 8192, 10),
                slabtop("vm_area_struct", 150_000, 216, 8_824, 4096, 11)), Hypothesis.class);
        assertEquals(28L << 30, h.bytes());
        assertEquals("critical", h.severity(), "28 GiB is past the SUnreclaim scale's 16 GiB, whatever the RAM");
        assertEquals(0.5, h.prior());
        assertTrue(h.summary().startsWith("slab cache kmalloc-64 (slabtop) holds 28 GiB, 99.5% of the"), h.summary());
        assertTrue(h.summary().contains("RAM is unknown, so it is judged by bytes, not by share"), h.summary());
        // a healthy slabtop: the largest unreclaimable cache is small
        none(fire(rule, slabtop("kmalloc-64", 100_000, 64, 1_563, 4096, 8), slabtop("vm_area_struct", 150_000, 216, 8_824, 4096, 11)), Hypothesis.class);
    }

    @Test void sUnreclaimAboveItsNormSupportsAGrowthVerdict() {
        Hypothesis g = new Hypothesis("SLAB_LEAK", "unreclaimable slab", "t", "warning", 1.0, 1, -1, "slab cache kmalloc-256 grew");
        Evidence e = evidence(fire("SUnreclaim above its norm supports a slab leak found by growth or proportion", g, total, mi("SUnreclaim", 3L << 20, 27)));
        assertTrue(e.supports());
        assertTrue(e.text().startsWith("SUnreclaim 3 GiB is 6.49x the SUnreclaim norm for 16 GiB of RAM (64 MiB + 2.5% of the first 16 GiB of RAM + 1% of the rest = 473.6 MiB"), e.text());
    }

    @Test void zfsSplCachesHoldingMostOfSUnreclaimAreTheArcNotALeak() {
        String rule = "ZFS's SPL caches hold most of the unreclaimable slab: the ARC's metadata, not a leak";
        // 1.2 GiB of arc_buf_hdr_t_full and dnode_t of 1.8 GiB SUnreclaim (objects x size: no page size known)
        SlabCache hdr = new SlabCache("arc_buf_hdr_t_full", 3_000_000, 3_000_000, 336, 24, -1, -1, 125_000, "slabinfo", at("slabinfo", 30));
        SlabCache dnode = new SlabCache("dnode_t", 300_000, 300_000, 1_000, 16, -1, -1, 18_750, "slabinfo", at("slabinfo", 31));
        SlabCache other = new SlabCache("kmalloc-256", 400_000, 400_000, 256, 16, -1, -1, 25_000, "slabinfo", at("slabinfo", 32));
        Diagnoser.Result r = fire(rule, leak, mi("SUnreclaim", 1_800_000, 24), hdr, dnode, other);
        Evidence e = evidence(r);
        assertFalse(e.supports());
        assertEquals(2.0, e.weight());
        assertTrue(finding(r).summary().contains("largest is arc_buf_hdr_t_full"), finding(r).summary());
        // ZFS caches that hold a small part of SUnreclaim excuse nothing
        none(fire(rule, leak, mi("SUnreclaim", 8_000_000, 24), hdr, dnode, other), Evidence.class);
        none(fire(rule, leak, mi("SUnreclaim", 1_800_000, 24), other), Evidence.class);
    }

    @Test void aSlabinfoSeriesWhoseLastReadingsRiseIsALeakInProgress() {
        String rule = "In a slabinfo series without meminfo, one unreclaimable cache full of objects in use rose at every reading since its lowest: a slab leak in progress";
        // size-8192 as in paste-slabinfo-grep-lkml-size8192-2004: high before a reboot, then 240 and up at every reading
        long[] objs = {25_926, 240, 10_170, 10_233, 10_308};
        java.util.List<Object> in = new java.util.ArrayList<>();
        for (int i = 0; i < objs.length; i++)
            in.add(new SlabCache("size-8192", objs[i], objs[i], 8192, 1, 2, objs[i], objs[i], "slabinfo",
                    at("mail.txt", 10 + i, "", i == objs.length - 1 ? "" : "t" + (i + 1))));
        in.add(host("page_size", 4096));
        Hypothesis h = one(fire(rule, in.toArray()), Hypothesis.class);
        assertEquals(10_308L * 2 * 4096, h.bytes());
        assertEquals("info", h.severity()); // RAM unknown: 78.7 MiB of rise is under the 1 GiB warning
        assertTrue(h.summary().contains("last 4 readings"), h.summary());
        // a cache whose objects are freed (a third of them free) is no leak in progress
        in.set(objs.length - 1, new SlabCache("size-8192", 10_308, 15_000, 8192, 1, 2, 15_000, 15_000, "slabinfo", at("mail.txt", 14)));
        none(fire(rule, in.toArray()), Hypothesis.class);
    }

    @Test void aMeminfoWithoutMemAvailableStillSeesReclaimableCaches() {
        String rule = "Large caches that reclaim are not a leak, on a kernel whose meminfo has no MemAvailable nor SReclaimable";
        // the 2.4 meminfo of paste-meminfo-2.4-free-slabinfo11-lkml-orf2001: Buffers 460 MiB and inode_cache of 1 GiB of RAM
        SlabCache inodes = new SlabCache("inode_cache", 452_259, 452_263, 512, -1, 1, 64_609, 64_609, "slabinfo", at("mail.txt", 76));
        Hypothesis h = one(fire(rule, mi("MemTotal", 1_029_780, 39), mi("MemFree", 12_412, 40), mi("Buffers", 470_560, 42),
                mi("Cached", 71_380, 43), inodes), Hypothesis.class);
        assertEquals("RECLAIMABLE_CACHE", h.code());
        assertEquals(470_560L * 1024 + 452_263L * 512, h.bytes()); // no page size: objects x size; Cached left out without Shmem
        // a newer meminfo goes to the other rule
        none(fire(rule, mi("MemTotal", 1_029_780, 39), mi("MemFree", 12_412, 40), mi("Buffers", 470_560, 42),
                mi("Cached", 71_380, 43), mi("MemAvailable", 600_000, 3), inodes), Hypothesis.class);
    }
}
