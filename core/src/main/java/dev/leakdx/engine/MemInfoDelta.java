package dev.leakdx.engine;

import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.Units;

/**
 * How one counter changed between two snapshots of the same host and source (e.g. SHARED in
 * {@code kmem -i} before and after {@code echo 3 > /proc/sys/vm/drop_caches}). Drawn by a rule
 * from the two counters, which the trace keeps as its citations.
 */
public record MemInfoDelta(String source, String host, String name, String event, MemCounter before, MemCounter after) {
    public long delta() { return after.bytes() - before.bytes(); }

    /** The fraction of the before value that went away (positive when the counter fell). */
    public double fallRatio() { return before.bytes() <= 0 ? 0 : (before.bytes() - after.bytes()) / (double) before.bytes(); }

    @Override public String toString() {
        return source + " " + name + (host.isEmpty() ? "" : " on " + host) + ": " + Units.bytes(before.bytes()) + " -> "
                + Units.bytes(after.bytes()) + " across " + event + " (" + Units.pct(-fallRatio()) + ")";
    }
}
