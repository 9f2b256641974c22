package dev.leakdx.facts;

/**
 * One value of a counter or slab cache in one snapshot of a series: the snapshot label, its
 * time in hours from the first snapshot of the series (NaN when the snapshots carry no time),
 * the bytes, and the line it was read from.
 */
public record TrendPoint(String what, String snapshot, double hours, long bytes, Provenance provenance) implements Fact {
    @Override public String describe() {
        return what + " = " + Units.bytes(bytes) + " in snapshot " + (snapshot.isEmpty() ? "(unlabelled, newest)" : snapshot)
                + (Double.isNaN(hours) ? "" : " at +" + Trend.hours(hours));
    }
}
