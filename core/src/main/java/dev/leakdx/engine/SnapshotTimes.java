package dev.leakdx.engine;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which snapshot labels are moments of a time series, in what order, and at what time.
 * Labels come from capture/CaptureOpener (folder and file names) or the manifest:
 * <ul>
 * <li>a time in the label: 20260101T1000, 20260101-100000, 2026-01-01T10:00:00Z (':' may be
 *     written '-' or '_'), 1767261600 (seconds since the epoch). Times without a zone are read as
 *     UTC: only differences matter, and every snapshot of one series is named the same way;</li>
 * <li>before / pre (proc-before/), the unlabelled newest (proc/), after / post: that order;</li>
 * <li>t1, t2, ... in number order, before the unlabelled one;</li>
 * <li>rotated.N (proc.N/): logrotate's numbering, .1 the newest rotated, all before the unlabelled one.</li>
 * </ul>
 * Labels that name an event (before_drop_caches, after-reboot) are not moments of a series:
 * they pair up around the event (MemInfoDelta) and are left out of trends.
 */
public final class SnapshotTimes {
    private SnapshotTimes() {}

    private static final Pattern COMPACT = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})(?:[T-]?(\\d{2})(\\d{2})(\\d{2})?)?Z?");
    private static final Pattern ISO = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})(?:[T_](\\d{2})[:_-]?(\\d{2})(?:[:_-]?(\\d{2}))?Z?)?");
    private static final Pattern EPOCH = Pattern.compile("\\d{9,10}");
    private static final Pattern NUMBERED = Pattern.compile("t(\\d+)");
    private static final Pattern ROTATED = Pattern.compile("rotated\\.(\\d+)");

    /** A label that is a moment of a series (see the class comment), not a before/after pair around an event. */
    public static boolean isSeriesLabel(String label) {
        return label.isEmpty() || label.equals("before") || label.equals("pre") || label.equals("after") || label.equals("post")
                || NUMBERED.matcher(label).matches() || ROTATED.matcher(label).matches() || epochSeconds(label).isPresent();
    }

    /** Seconds since the epoch a label names, if it names a time (UTC when it gives no zone). */
    public static OptionalLong epochSeconds(String label) {
        if (EPOCH.matcher(label).matches()) return OptionalLong.of(Long.parseLong(label));
        for (Pattern p : new Pattern[] {COMPACT, ISO}) {
            Matcher m = p.matcher(label);
            if (!m.matches()) continue;
            try {
                LocalDate d = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
                LocalDateTime t = m.group(4) == null ? d.atStartOfDay()
                        : d.atTime(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
                return OptionalLong.of(t.toEpochSecond(ZoneOffset.UTC));
            } catch (java.time.DateTimeException | NumberFormatException e) {
                return OptionalLong.empty(); // 20261399: digits, not a date
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Where a label falls when no times decide: an ordering key, smaller is older. The
     * unlabelled snapshot is the newest one but for after/post; named times sort among
     * themselves by time, t-numbers by number, rotated.N by N descending.
     */
    public static double orderKey(String label) {
        if (label.equals("before") || label.equals("pre")) return -3e12;
        if (label.isEmpty()) return 0;
        if (label.equals("after") || label.equals("post")) return 1;
        Matcher n = NUMBERED.matcher(label);
        if (n.matches()) return -2e12 + Math.min(1e9, Double.parseDouble(n.group(1)));
        Matcher r = ROTATED.matcher(label);
        if (r.matches()) return -1e12 - Math.min(1e9, Double.parseDouble(r.group(1)));
        OptionalLong t = epochSeconds(label);
        if (t.isPresent()) return -1e11 + t.getAsLong() / 100.0; // 1e11/100 > any epoch in seconds: stays below 0
        return -4e12;
    }
}
