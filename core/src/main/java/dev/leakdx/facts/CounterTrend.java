package dev.leakdx.facts;

import java.util.List;

/**
 * One /proc/meminfo counter (or a quantity the budget derives from them: the unexplained gap,
 * the anon on the LRU that nobody maps) across the time snapshots of one host, oldest first.
 * {@code kind} says whose memory it is: kernel (SUnreclaim, VmallocUsed, KernelStack, PageTables,
 * Percpu, Shmem, the gap, unmapped anon), pool (Hugetlb), reclaimable (Cached, Buffers, SReclaimable),
 * user (AnonPages) or available (MemAvailable, whose fall is the other side of any growth).
 * {@code memTotal} and {@code memAvailable} are from the newest snapshot (-1 unknown), for shares
 * and "runs out in" estimates. Built by the engine before the rules run (engine/Trends).
 */
public record CounterTrend(String source, String host, String name, String kind, List<TrendPoint> points, String timeBasis,
                           long memTotal, long memAvailable, Provenance provenance) implements Trend {
    public CounterTrend {
        points = List.copyOf(points);
        if (points.size() < 2) throw new IllegalArgumentException("a trend needs two points");
    }

    /** Share of MemTotal the change amounts to (0 when MemTotal is unknown). */
    public double shareOfTotal() { return memTotal > 0 ? Math.abs(delta()) / (double) memTotal : 0; }

    @Override public String describe() {
        return source + " " + name + (host.isEmpty() ? "" : " on " + host) + ": " + change() + " across " + span()
                + (monotonic() ? ", every step " + (growing() ? "up" : "down") : ", not steady");
    }
}
