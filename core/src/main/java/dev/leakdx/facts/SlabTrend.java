package dev.leakdx.facts;

import java.util.List;

/**
 * One slab cache across the time snapshots of one host, oldest first: its footprint in each
 * (num_slabs x pagesperslab x PAGE_SIZE, or num_objs x objsize when the page size is unknown),
 * and the objects in use first and last. Built by the engine before the rules run (engine/Trends).
 */
public record SlabTrend(String host, String name, List<TrendPoint> points, long firstActiveObjs, long lastActiveObjs, long objSize,
                        String timeBasis, long memTotal, long memAvailable, Provenance provenance) implements Trend {
    public SlabTrend {
        points = List.copyOf(points);
        if (points.size() < 2) throw new IllegalArgumentException("a trend needs two points");
    }

    @Override public String describe() {
        return "slab cache " + name + (host.isEmpty() ? "" : " on " + host) + ": " + change() + ", objects in use "
                + Units.count(firstActiveObjs) + " -> " + Units.count(lastActiveObjs) + ", across " + span()
                + (monotonic() ? ", every step " + (growing() ? "up" : "down") : ", not steady");
    }
}
