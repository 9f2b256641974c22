package dev.leakdx.engine;

import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.capture.Manifest;
import dev.leakdx.extract.Sink;
import dev.leakdx.facts.CounterTrend;
import dev.leakdx.facts.EventCounter;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.Provenance;
import dev.leakdx.facts.SlabCache;
import dev.leakdx.facts.SlabTrend;
import dev.leakdx.facts.TrendPoint;
import dev.leakdx.extract.Samples;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** engine/Trends and SnapshotTimes: which snapshots form a series, their order and times, what becomes a fact. */
class TrendsTest {
    static final long KB = 1024;

    static Provenance at(String file, int line, String snap) { return new Provenance(file, line, line, "", snap, ""); }

    static MemCounter mi(String snap, String name, long kb, int line) {
        String file = snap.isEmpty() ? "proc/meminfo" : "proc-" + snap + "/meminfo";
        return new MemCounter("meminfo", name, -1, kb * KB, at(file, line, snap));
    }

    static List<Fact> meminfo(String snap, long sunreclaim, long avail) {
        return new ArrayList<>(List.of(mi(snap, "MemTotal", 8_000_000, 1), mi(snap, "MemFree", 5_000_000, 2), mi(snap, "MemAvailable", avail, 3),
                mi(snap, "SUnreclaim", sunreclaim, 27), mi(snap, "Cached", 1_000_000, 5)));
    }

    static <T> List<T> of(List<Fact> facts, Class<T> t) { return facts.stream().filter(t::isInstance).map(t::cast).toList(); }

    static CounterTrend trend(List<Fact> facts, String name) {
        return of(facts, CounterTrend.class).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test void labelsTimesAndOrder() {
        assertEquals(1772352000L, SnapshotTimes.epochSeconds("20260301T0800").getAsLong());
        assertEquals(1772352000L, SnapshotTimes.epochSeconds("2026-03-01T08:00:00Z").getAsLong());
        assertEquals(1772352000L, SnapshotTimes.epochSeconds("2026-03-01T08-00").getAsLong());
        assertEquals(1772352000L, SnapshotTimes.epochSeconds("1772352000").getAsLong());
        assertTrue(SnapshotTimes.epochSeconds("20261399").isEmpty(), "digits, not a date");
        assertTrue(SnapshotTimes.isSeriesLabel("before") && SnapshotTimes.isSeriesLabel("") && SnapshotTimes.isSeriesLabel("t3")
                && SnapshotTimes.isSeriesLabel("rotated.2") && SnapshotTimes.isSeriesLabel("20260301T0800"));
        assertFalse(SnapshotTimes.isSeriesLabel("before_drop_caches"), "a pair around an event, not a moment of a series");
        List<String> labels = new ArrayList<>(List.of("", "rotated.1", "t2", "before", "rotated.2", "t1", "after"));
        labels.sort(java.util.Comparator.comparingDouble(SnapshotTimes::orderKey));
        assertEquals(List.of("before", "t1", "t2", "rotated.2", "rotated.1", "", "after"), labels);
    }

    @Test void beforeAndNewestWithoutTimes() {
        List<Fact> in = meminfo("before", 100_000, 6_000_000);
        in.addAll(meminfo("", 300_000, 5_800_000));
        // drop_caches pairs are not moments of the series
        in.add(mi("before_drop_caches", "SUnreclaim", 900_000, 27));
        List<Fact> out = Trends.add(in, Manifest.EMPTY, new Sink());
        CounterTrend su = trend(out, "SUnreclaim");
        assertEquals(List.of("before", ""), su.points().stream().map(TrendPoint::snapshot).toList());
        assertEquals(200_000 * KB, su.delta());
        assertTrue(su.monotonic() && su.growing() && !su.timed());
        assertTrue(Double.isNaN(su.ratePerHour()));
        assertEquals("order only", su.timeBasis());
        assertEquals("proc-before/meminfo:27", su.points().get(0).provenance().cite());
        assertEquals(8_000_000 * KB, su.memTotal());
        // MemAvailable fell 200,000 kB: past 16 MiB and 0.5% of MemTotal (40,000 kB), a fact too
        assertTrue(trend(out, "MemAvailable").falling());
        // Cached did not move: no fact
        assertTrue(of(out, CounterTrend.class).stream().noneMatch(c -> c.name().equals("Cached")));
        // unknown is not zero: these snapshots lack Buffers, SwapCached, AnonPages, ... so there is no gap to follow
        assertTrue(of(out, CounterTrend.class).stream().noneMatch(c -> c.name().equals(Trends.GAP)), "no gap from a partial meminfo");
    }

    @Test void theGapIsFollowedOnlyWhenEveryBudgetLineIsThere() {
        List<Fact> in = new ArrayList<>();
        for (String snap : List.of("before", "")) {
            in.addAll(meminfo(snap, 100_000, 6_000_000));
            for (String n : List.of("Buffers", "SwapCached", "AnonPages", "SReclaimable", "KernelStack", "PageTables", "Hugetlb"))
                in.add(mi(snap, n, 10_000, 30));
        }
        in.add(mi("", "MemFree", 4_800_000, 2)); // 200,000 kB went nowhere a counter shows
        List<Fact> out = Trends.add(in, Manifest.EMPTY, new Sink());
        CounterTrend gap = trend(out, Trends.GAP);
        // MemTotal - MemFree - Cached - SUnreclaim - 7 x 10,000
        assertEquals(1_830_000 * KB, gap.first());
        assertEquals(2_030_000 * KB, gap.last());
        assertEquals("proc/meminfo:1-30", gap.points().get(1).provenance().cite());
    }

    @Test void uptimeGivesTimesAndARestartCutsTheSeries() {
        List<Fact> in = new ArrayList<>();
        long[] su = {100_000, 400_000, 150_000, 200_000};
        long[] up = {900_000, 1_620_000, 36_000, 43_200}; // seconds x100: 9000 s, 16200 s, then a reboot: 360 s, 432 s
        String[] snaps = {"t1", "t2", "t3", ""};
        for (int i = 0; i < 4; i++) {
            in.addAll(meminfo(snaps[i], su[i], 6_000_000 - i * 10_000));
            in.add(new EventCounter("uptime", "uptime_cs", up[i], at("proc-" + snaps[i] + "/uptime", 1, snaps[i])));
        }
        Sink sink = new Sink();
        List<Fact> out = Trends.add(in, Manifest.EMPTY, sink);
        CounterTrend t = trend(out, "SUnreclaim");
        assertEquals(List.of("t3", ""), t.points().stream().map(TrendPoint::snapshot).toList(), "only the points after the restart");
        assertEquals(0.02, t.spanHours(), 1e-9);
        assertEquals("uptime", t.timeBasis());
        assertTrue(sink.diagnostics().get(0).toString().contains("the host restarted"), sink.diagnostics().toString());
    }

    @Test void manifestAndNamedTimesAndSlabs() {
        List<Fact> in = new ArrayList<>();
        String[] snaps = {"20260301T0800", "20260301T1400", ""};
        long[] k256 = {2000, 17360, 32720};
        for (int i = 0; i < 3; i++) {
            in.addAll(meminfo(snaps[i], 100_000 + i * 61_440, 6_000_000));
            in.add(new SlabCache("kmalloc-256", k256[i] * 16, k256[i] * 16, 256, 16, 1, k256[i], k256[i], "slabinfo", at("proc/slabinfo." + snaps[i], 140, snaps[i])));
            in.add(new SlabCache("dentry", 21, 21, 192, 21, 1, 1, 1, "slabinfo", at("proc/slabinfo." + snaps[i], 90, snaps[i])));
        }
        Manifest m = new Manifest(Map.of(), List.of(), "case.yaml", Map.of("", "2026-03-01T20:00:00Z"));
        List<Fact> out = Trends.add(in, m, new Sink());
        CounterTrend su = trend(out, "SUnreclaim");
        assertEquals("wall clock", su.timeBasis());
        assertEquals(12.0, su.spanHours(), 1e-9);
        assertEquals(61_440 * 2 * KB / 12.0, su.ratePerHour(), 1e-6);
        // without a page size: num_objs x objsize; dentry did not move and is no fact
        List<SlabTrend> slabs = of(out, SlabTrend.class);
        assertEquals(1, slabs.size());
        assertEquals((32720 - 2000) * 16 * 256L, slabs.get(0).delta());
        // without the manifest the unlabelled one has no time: order only
        assertEquals("order only", trend(Trends.add(in, Manifest.EMPTY, new Sink()), "SUnreclaim").timeBasis());
    }

    @Test void layoutsOnDisk() throws IOException {
        // the built case folders: proc-t1/ .. proc/ with /proc/uptime, and named files with a manifest time
        try (Capture c = CaptureOpener.open(Path.of("cases/trend-slab-growth-built"))) {
            List<Fact> out = Trends.add(Samples.extract(c).facts(), c.manifest(), new Sink());
            CounterTrend su = trend(out, "SUnreclaim");
            assertEquals(5, su.pointCount());
            assertEquals(8.0, su.spanHours(), 0.01);
            assertEquals(245_760 * KB, su.delta());
        }
        try (Capture c = CaptureOpener.open(Path.of("cases/trend-churn-cache-lookalike-built"))) {
            List<Fact> out = Trends.add(Samples.extract(c).facts(), c.manifest(), new Sink());
            CounterTrend su = trend(out, "SUnreclaim");
            assertEquals(4, su.pointCount());
            assertEquals(18.0, su.spanHours(), 1e-9);
            assertFalse(su.monotonic());
        }
    }

    @Test
    void theGapIsComputedFromTheSameDisjointPartsAsBudgetDrl() throws IOException {
        // Trends sums the budget per snapshot in Java; budget.drl sums it for the current snapshot. Every
        // `name in (...)` list of budget.drl must be Trends.PARTS, or the trend of the gap and the gap disagree.
        String drl = java.nio.file.Files.readString(Path.of("rules/budget.drl"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name in \\(([^)]*)\\)").matcher(drl);
        int lists = 0;
        while (m.find()) {
            List<String> names = new ArrayList<>();
            for (String n : m.group(1).split(",")) names.add(n.strip().replace("\"", ""));
            if (!names.contains("MemFree")) continue;
            lists++;
            assertEquals(Trends.PARTS, names, "rules/budget.drl's disjoint parts");
        }
        assertEquals(2, lists, "budget.drl names the disjoint parts in two conditions");
    }
}
