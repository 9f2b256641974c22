package dev.leakdx.engine;

import dev.leakdx.capture.Manifest;
import dev.leakdx.extract.Sink;
import dev.leakdx.facts.CounterTrend;
import dev.leakdx.facts.EventCounter;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.Provenance;
import dev.leakdx.facts.SlabCache;
import dev.leakdx.facts.SlabTrend;
import dev.leakdx.facts.TrendPoint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Growth across the time snapshots of a capture (proc-before/ and proc/, proc-t1/ ... proc/,
 * meminfo.20260301T0800 ..., proc.2/ proc.1/ proc/), summed up before the rules run so the
 * rule engine sees one fact per counter or slab cache that changed meaningfully, never a row
 * per snapshot. A snapshot is one label (capture/CaptureOpener; SnapshotTimes says which labels
 * are moments of a series); its time comes from the label, the manifest's snapshot_times, or a
 * /proc/uptime captured beside it, else only its order is known and no rate is given.
 */
public final class Trends {
    private Trends() {}

    /**
     * The smallest change first to last that becomes a trend fact: the larger of the growth norm's
     * base and its share of MemTotal (rules/norms.yaml 'growth': 16 MiB or 0.5% as packed), below
     * the norm's `normal` (base + share), so a change the rules would judge as information still
     * reaches them while the churn of an idle host does not: idle lab guests move SUnreclaim by under
     * 1 MiB between snapshots (the norm's derivation). One slab cache is judged at half that floor:
     * it is one part of SUnreclaim, and naming the cache that grew needs it seen before the total is.
     */
    public record Floor(long bytes, double share) {
        static Floor of(Norm growth) { return new Floor(growth.base(), growth.share()); }
        Floor half() { return new Floor(bytes / 2, share / 2); }
        long of(long memTotal) { return Math.max(bytes, memTotal > 0 ? (long) (memTotal * share) : 0); }
    }

    /** The packed growth norm's floor, read once (16 MiB and 0.5% if the file had no 'growth' norm). The Diagnoser uses it for every capture: extraction runs while the knowledge base compiles, so a --rules folder's own growth norm changes how the rules judge a growth but not this floor. */
    private static volatile Floor packedFloor;

    static Floor packedFloor() {
        Floor f = packedFloor;
        if (f == null) {
            f = new Floor(16L << 20, 0.005);
            try {
                for (Norm n : Norms.load(null)) if (n.key().equals("growth")) f = Floor.of(n);
            } catch (java.io.IOException e) {
                // the packed file is in the jar; unreadable means a broken build, and the default floor stands
            }
            packedFloor = f;
        }
        return f;
    }

    /** The meminfo budget gap (budget.drl MEMINFO_BUDGET_GAP) less the unmapped anon, as UNACCOUNTED_KERNEL_MEMORY counts it. */
    public static final String GAP = "(gap)";
    /** Active(anon) + Inactive(anon) - AnonPages - Shmem - SwapCached (thp-refcount.drl ANON_LRU_EXCESS). */
    public static final String UNMAPPED_ANON = "(unmapped anon)";
    /** Counters followed, and whose memory each is (CounterTrend.kind). */
    static final Map<String, String> KIND = new LinkedHashMap<>();
    static {
        for (String k : List.of("SUnreclaim", "VmallocUsed", "KernelStack", "PageTables", "SecPageTables", "Percpu", "Shmem",
                GAP, UNMAPPED_ANON)) KIND.put(k, "kernel");
        KIND.put("Hugetlb", "pool"); // a pool an administrator sizes (nr_hugepages): its growth is configuration, not a leak
        for (String k : List.of("Cached", "Buffers", "SReclaimable")) KIND.put(k, "reclaimable");
        KIND.put("AnonPages", "user");
        KIND.put("MemAvailable", "available");
    }

    /** The disjoint parts of MemTotal (fs/proc/meminfo.c, 6.x; the same list as budget.drl). */
    static final List<String> PARTS = List.of("MemFree", "Buffers", "Cached", "SwapCached", "AnonPages", "SReclaimable", "SUnreclaim",
            "KernelStack", "PageTables", "SecPageTables", "Percpu", "Hugetlb");

    private record Value(long bytes, Provenance where) {}

    /** One snapshot of one host: its meminfo values, slab caches and uptime. */
    private static final class Snap {
        final String label;
        final Map<String, Value> mem = new HashMap<>();
        final Map<String, Long> counts = new HashMap<>();
        final Map<String, SlabCache> slabs = new HashMap<>();
        final Map<String, String> memFile = new HashMap<>();
        double uptime = Double.NaN;
        double hours = Double.NaN;
        long epoch = -1;
        Snap(String label) { this.label = label; }
    }

    /** The facts plus one CounterTrend / SlabTrend per meaningful change (none when the capture has one snapshot). */
    public static List<Fact> add(List<Fact> facts, Manifest manifest, Sink sink) {
        return add(facts, manifest, sink, packedFloor());
    }

    /** As {@link #add(List, Manifest, Sink)}, with the floor of another growth norm (a --rules folder's norms.yaml). */
    public static List<Fact> add(List<Fact> facts, Manifest manifest, Sink sink, Floor floor) {
        Map<String, Map<String, Snap>> hosts = new TreeMap<>();
        long pageSize = -1;
        for (Fact f : facts) {
            Provenance p = f.provenance();
            if (f instanceof HostFact h && h.key().equals("page_size") && p.host().isEmpty()) pageSize = h.asLong();
            if (!SnapshotTimes.isSeriesLabel(p.snapshot())) continue;
            if (f instanceof MemCounter m && m.source().equals("meminfo") && m.bytes() >= 0 && !perNode(p.file())) {
                Snap s = snap(hosts, p);
                String had = s.memFile.putIfAbsent(m.name(), p.file());
                if (had == null || had.equals(p.file())) s.mem.put(m.name(), new Value(m.bytes(), p));
            } else if (f instanceof EventCounter e && e.source().equals("meminfo") && !perNode(p.file())) {
                snap(hosts, p).counts.put(e.name(), e.value());
            } else if (f instanceof EventCounter e && e.source().equals("uptime") && e.name().equals("uptime_cs")) {
                snap(hosts, p).uptime = e.value() / 100.0;
            } else if (f instanceof EventCounter e && e.source().equals("date") && e.name().equals("epoch_s")) {
                snap(hosts, p).epoch = e.value(); // a date line pasted before the snapshot's readings (extract/PasteSeries)
            } else if (f instanceof SlabCache c && c.source().equals("slabinfo")) {
                snap(hosts, p).slabs.putIfAbsent(c.name(), c);
            }
        }
        List<Fact> out = new ArrayList<>(facts);
        for (Map.Entry<String, Map<String, Snap>> h : hosts.entrySet()) {
            Series ordered = order(new ArrayList<>(h.getValue().values()), manifest, sink);
            List<Snap> series = ordered.snaps();
            if (series.size() < 2) continue;
            String basis = ordered.basis();
            Snap newest = series.get(series.size() - 1);
            long total = newest.mem.containsKey("MemTotal") ? newest.mem.get("MemTotal").bytes() : -1;
            long avail = newest.mem.containsKey("MemAvailable") ? newest.mem.get("MemAvailable").bytes() : -1;
            for (Snap s : series) derive(s);
            for (Map.Entry<String, String> k : KIND.entrySet()) {
                List<TrendPoint> pts = new ArrayList<>();
                for (Snap s : series) {
                    Value v = s.mem.get(k.getKey());
                    if (v != null) pts.add(new TrendPoint("meminfo " + k.getKey(), s.label, s.hours, v.bytes(), v.where()));
                }
                if (pts.size() < 2) continue;
                long delta = Math.abs(pts.get(pts.size() - 1).bytes() - pts.get(0).bytes());
                if (delta < floor.of(total)) continue;
                out.add(new CounterTrend("meminfo", h.getKey(), k.getKey(), k.getValue(), pts, basis, total, avail,
                        pts.get(pts.size() - 1).provenance()));
            }
            Map<String, List<TrendPoint>> caches = new TreeMap<>();
            Map<String, long[]> objs = new HashMap<>();
            for (Snap s : series)
                for (SlabCache c : s.slabs.values()) {
                    long b = c.bytes(pageSize);
                    if (b < 0 && c.numObjs() >= 0 && c.objSize() > 0) b = c.numObjs() * c.objSize();
                    if (b < 0) continue;
                    caches.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(new TrendPoint("slab cache " + c.name(), s.label, s.hours, b, c.provenance()));
                    long[] o = objs.computeIfAbsent(c.name(), k -> new long[] {c.activeObjs(), 0, c.objSize()});
                    o[1] = c.activeObjs();
                }
            for (Map.Entry<String, List<TrendPoint>> c : caches.entrySet()) {
                List<TrendPoint> pts = c.getValue();
                if (pts.size() < 2) continue;
                long delta = pts.get(pts.size() - 1).bytes() - pts.get(0).bytes();
                if (delta < floor.half().of(total)) continue;
                long[] o = objs.get(c.getKey());
                out.add(new SlabTrend(h.getKey(), c.getKey(), pts, o[0], o[1], o[2], basis, total, avail, pts.get(pts.size() - 1).provenance()));
            }
        }
        return out;
    }

    /** /sys/devices/system/node/nodeN/meminfo repeats the keys per node: not the host's totals. */
    private static boolean perNode(String file) {
        return file.matches("(?i).*node\\d+/[^/]*$") || file.matches("(?i).*node\\d+[._-]meminfo[^/]*$");
    }

    private static Snap snap(Map<String, Map<String, Snap>> hosts, Provenance p) {
        return hosts.computeIfAbsent(p.host(), k -> new LinkedHashMap<>()).computeIfAbsent(p.snapshot(), Snap::new);
    }

    /**
     * Puts the snapshots in time order and gives each its hours from the first: by wall-clock
     * times when every snapshot has one (name or manifest), else by the labels' conventional order;
     * hours from uptime when every snapshot has one. Uptime going down means the host restarted:
     * the series starts again after the restart (counters began from zero there).
     */
    private record Series(List<Snap> snaps, String basis) {}

    private static Series order(List<Snap> snaps, Manifest manifest, Sink sink) {
        snaps.removeIf(s -> s.mem.isEmpty() && s.slabs.isEmpty());
        if (snaps.size() < 2) return new Series(snaps, "order only");
        Map<Snap, Long> wall = new HashMap<>();
        for (Snap s : snaps) {
            String stated = manifest.snapshotTimes().get(s.label);
            OptionalLong t = stated != null ? parseStated(stated) : SnapshotTimes.epochSeconds(s.label);
            if (t.isEmpty() && s.epoch >= 0) t = OptionalLong.of(s.epoch);
            if (t.isPresent()) wall.put(s, t.getAsLong());
        }
        boolean allWall = wall.size() == snaps.size();
        if (allWall) snaps.sort(Comparator.comparingLong(wall::get));
        else snaps.sort(Comparator.comparingDouble(s -> SnapshotTimes.orderKey(s.label)));
        boolean allUptime = snaps.stream().noneMatch(s -> Double.isNaN(s.uptime));
        if (allUptime) {
            int start = 0;
            for (int i = 1; i < snaps.size(); i++)
                if (snaps.get(i).uptime < snaps.get(i - 1).uptime) {
                    start = i;
                    sink.diagnostic(anyFile(snaps.get(i)), 0, "warning", "uptime fell from " + snaps.get(i - 1).uptime + " s (snapshot "
                            + name(snaps.get(i - 1)) + ") to " + snaps.get(i).uptime + " s (snapshot " + name(snaps.get(i))
                            + "): the host restarted, so trends start at snapshot " + name(snaps.get(i)));
                }
            snaps = new ArrayList<>(snaps.subList(start, snaps.size()));
        }
        if (allWall) {
            long t0 = wall.get(snaps.get(0));
            for (Snap s : snaps) s.hours = (wall.get(s) - t0) / 3600.0;
            return new Series(snaps, "wall clock");
        }
        if (allUptime) {
            double u0 = snaps.get(0).uptime;
            for (Snap s : snaps) s.hours = (s.uptime - u0) / 3600.0;
            return new Series(snaps, "uptime");
        }
        return new Series(snaps, "order only");
    }

    /** A manifest time: a label-style time, or ISO 8601 with a zone offset. */
    static OptionalLong parseStated(String text) {
        OptionalLong t = SnapshotTimes.epochSeconds(text.strip());
        if (t.isPresent()) return t;
        try {
            return OptionalLong.of(java.time.OffsetDateTime.parse(text.strip()).toEpochSecond());
        } catch (java.time.format.DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }

    private static String name(Snap s) { return s.label.isEmpty() ? "(unlabelled)" : s.label; }

    private static String anyFile(Snap s) {
        if (!s.mem.isEmpty()) return s.mem.values().iterator().next().where().file();
        return s.slabs.isEmpty() ? "(snapshots)" : s.slabs.values().iterator().next().provenance().file();
    }

    /** The budget quantities of one snapshot that no single meminfo line holds: unmapped anon and the gap. */
    private static void derive(Snap s) {
        Map<String, Value> m = s.mem;
        if (!m.containsKey("Hugetlb") && s.counts.containsKey("HugePages_Total") && m.containsKey("Hugepagesize"))
            m.put("Hugetlb", new Value(s.counts.get("HugePages_Total") * m.get("Hugepagesize").bytes(), m.get("Hugepagesize").where()));
        long unmapped = 0;
        if (m.containsKey("Active(anon)") && m.containsKey("Inactive(anon)") && m.containsKey("AnonPages") && m.containsKey("Shmem")) {
            unmapped = Math.max(0, m.get("Active(anon)").bytes() + m.get("Inactive(anon)").bytes() - m.get("AnonPages").bytes()
                    - m.get("Shmem").bytes() - (m.containsKey("SwapCached") ? m.get("SwapCached").bytes() : 0));
            m.put(UNMAPPED_ANON, new Value(unmapped, span(m, "Active(anon)", "Inactive(anon)", "AnonPages", "Shmem")));
        }
        Map<String, Long> lines = new HashMap<>();
        for (Map.Entry<String, Value> e : m.entrySet()) lines.put(e.getKey(), e.getValue().bytes());
        // unknown is not zero: no gap for a snapshot that lacks a budget line (MeminfoBudget)
        if (MeminfoBudget.missing(lines, m.containsKey("Hugetlb") || Long.valueOf(0).equals(s.counts.get("HugePages_Total"))).isEmpty()) {
            long explained = MeminfoBudget.filePagesEquivalent(lines);
            for (String p : PARTS) if (m.containsKey(p)) explained += m.get(p).bytes();
            long gap = Math.max(0, m.get("MemTotal").bytes() - explained - unmapped);
            List<String> used = new ArrayList<>(List.of("MemTotal"));
            for (String p : PARTS) if (m.containsKey(p)) used.add(p);
            m.put(GAP, new Value(gap, span(m, used.toArray(String[]::new))));
        }
    }

    /** The lines a derived value was computed from, as one range of the first key's file. */
    private static Provenance span(Map<String, Value> m, String... keys) {
        Provenance p = m.get(keys[0]).where();
        long lo = Long.MAX_VALUE, hi = 0;
        for (String k : keys) {
            Provenance q = m.get(k).where();
            if (!q.file().equals(p.file())) continue;
            lo = Math.min(lo, q.firstLine());
            hi = Math.max(hi, q.lastLine());
        }
        return p.lines(lo, hi);
    }
}
