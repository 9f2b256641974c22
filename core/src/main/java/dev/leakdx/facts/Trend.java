package dev.leakdx.facts;

import java.util.List;
import java.util.Locale;

/**
 * What a counter trend and a slab cache trend share: points in time order, first and last
 * values, the change, whether every step went the same way, and the rate when the snapshots
 * carry times. Rules read these through the records' accessors.
 */
public interface Trend extends Aggregate {
    List<TrendPoint> points();

    /** MemTotal and MemAvailable in the newest snapshot, -1 when unknown. */
    long memTotal();
    long memAvailable();

    /** A step against the overall direction smaller than this share of the whole change is noise (per-CPU caches, RCU frees). */
    double NOISE = 0.02;

    default long first() { return points().get(0).bytes(); }
    default long last() { return points().get(points().size() - 1).bytes(); }
    default long delta() { return last() - first(); }
    default int pointCount() { return points().size(); }
    default boolean growing() { return delta() > 0; }
    default boolean falling() { return delta() < 0; }
    default boolean timed() { return points().stream().noneMatch(p -> Double.isNaN(p.hours())); }
    default double spanHours() { return timed() ? points().get(points().size() - 1).hours() - points().get(0).hours() : Double.NaN; }

    /** Every step goes the way of the whole change (or is smaller than {@link #NOISE} of it). */
    default boolean monotonic() {
        long d = delta();
        if (d == 0) return false;
        double tolerance = Math.abs(d) * NOISE;
        for (int i = 1; i < points().size(); i++) {
            long step = points().get(i).bytes() - points().get(i - 1).bytes();
            if (Long.signum(step) == -Long.signum(d) && Math.abs(step) > tolerance) return false;
        }
        return true;
    }

    /** Bytes per hour, first to last; NaN without times or over no time at all. */
    default double ratePerHour() {
        double h = spanHours();
        return Double.isNaN(h) || h <= 0 ? Double.NaN : delta() / h;
    }

    /** Hours until {@code remaining} bytes are used up at this trend's rate; NaN when it does not grow or has no rate. */
    default double hoursToConsume(long remaining) {
        double r = Math.abs(ratePerHour());
        return Double.isNaN(r) || r <= 0 || remaining < 0 ? Double.NaN : remaining / r;
    }

    /** "4 points over 18 h (before -> t2 -> t3 -> newest)": how much the trend rests on. */
    default String span() {
        StringBuilder b = new StringBuilder();
        for (TrendPoint p : points()) b.append(b.length() == 0 ? "" : " -> ").append(p.snapshot().isEmpty() ? "newest" : p.snapshot());
        return pointCount() + " snapshots" + (timed() ? " over " + hours(spanHours()) : " (times unknown)") + " (" + b + ")";
    }

    /** "+1.2 GiB (7.1 MiB -> 1.2 GiB), 68.3 MiB/h": the change in words. */
    default String change() {
        String r = Double.isNaN(ratePerHour()) ? "" : ", " + (ratePerHour() >= 0 ? "+" : "-") + Units.bytes((long) Math.abs(ratePerHour())) + "/h";
        return (delta() >= 0 ? "+" : "-") + Units.bytes(Math.abs(delta())) + " (" + Units.bytes(first()) + " -> " + Units.bytes(last()) + ")" + r;
    }

    static String hours(double h) {
        if (Double.isNaN(h)) return "?";
        if (h >= 48) return String.format(Locale.ROOT, "%.1f days", h / 24);
        if (h >= 1) return String.format(Locale.ROOT, "%.1f h", h);
        return String.format(Locale.ROOT, "%.0f min", h * 60);
    }

    @Override default List<? extends Fact> parts() { return points(); }
}
