package dev.leakdx.capture;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every bound leakdx puts on what a capture may cost, with its default, in one place. A capture
 * comes from a customer, a stranger or a broken machine and may be hostile: an archive that
 * unpacks a thousand times its size, a line of gigabytes, a million empty files, a rule that never
 * ends. Each limit reached is a diagnostic with file:line and the run goes on with the rest
 * (knowledge-base-docs/reliability.md).
 *
 * <p>Each is a system property ({@code -Dleakdx.limit.NAME=VALUE}, through {@code LEAKDX_JAVA_OPTS}
 * or the diagnose options that set them); sizes take a K, M or G suffix (powers of 1024). They are
 * read at each use, so a test or the CLI can change them for one run.
 */
public final class Limits {
    private Limits() {}

    /** A limit: the property that sets it, its default, and what it bounds. */
    public record Limit(String property, long dflt, String meaning) {
        /** The value in force: the property when set and valid, else the default. */
        public long get() {
            String v = System.getProperty(property);
            if (v == null || v.isBlank()) return dflt;
            try {
                long n = parse(v);
                return n > 0 ? n : dflt;
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
    }

    private static final long KIB = 1024, MIB = KIB * KIB, GIB = MIB * KIB;

    /** Bytes an archive may unpack to the temporary folder in all. */
    public static final Limit ARCHIVE_BYTES = new Limit("leakdx.limit.archive-bytes", 4 * GIB,
            "bytes unpacked from one archive, all members together");
    /** Bytes one archive member may unpack to. */
    public static final Limit MEMBER_BYTES = new Limit("leakdx.limit.member-bytes", 2 * GIB,
            "bytes unpacked from one archive member");
    /** Unpacked bytes per byte of archive, checked once the archive has unpacked {@link #RATIO_FLOOR}. */
    public static final Limit RATIO = new Limit("leakdx.limit.ratio", 200,
            "expansion ratio: bytes unpacked per byte of the archive file");
    /** Below this many unpacked bytes the ratio is not checked (small text archives compress well). */
    public static final Limit RATIO_FLOOR = new Limit("leakdx.limit.ratio-floor", 64 * MIB,
            "bytes an archive may unpack before the expansion ratio is checked");
    /** Files one capture may hold (archive members unpacked, or files of a folder walked). */
    public static final Limit FILES = new Limit("leakdx.limit.files", 10_000,
            "files read from one capture (archive members or folder entries)");
    /** Folder levels below the capture root that are walked or unpacked. */
    public static final Limit DEPTH = new Limit("leakdx.limit.depth", 32,
            "folder levels below the capture root");
    /** Bytes of one line that are read; the rest of a longer line is skipped, counted and cited. */
    public static final Limit LINE_BYTES = new Limit("leakdx.limit.line-bytes", MIB,
            "bytes of one line that are read (the rest of the line is skipped)");
    /** Seconds one capture of a batch may take, opening to report. */
    public static final Limit CAPTURE_SECONDS = new Limit("leakdx.limit.capture-seconds", 600,
            "seconds one capture of a batch may take (opening, reading, rules)");
    /** Seconds one rule run (fireAllRules) may take. */
    public static final Limit RULES_SECONDS = new Limit("leakdx.limit.rules-seconds", 30,
            "seconds one rule run may take before the session is halted");

    public static final Limit[] ALL = {ARCHIVE_BYTES, MEMBER_BYTES, RATIO, RATIO_FLOOR, FILES, DEPTH, LINE_BYTES, CAPTURE_SECONDS, RULES_SECONDS};

    /** "4G" -> 4294967296; "1m" -> 1048576; "300" -> 300. */
    public static long parse(String v) {
        String t = v.strip().toUpperCase(Locale.ROOT).replace("_", "");
        if (t.endsWith("IB")) t = t.substring(0, t.length() - 2);
        else if (t.endsWith("B") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) t = t.substring(0, t.length() - 1);
        long mult = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> mult = KIB;
                case 'M' -> mult = MIB;
                case 'G' -> mult = GIB;
                case 'T' -> mult = GIB * KIB;
                default -> { }
            }
        }
        if (mult != 1) t = t.substring(0, t.length() - 1);
        return Math.multiplyExact(Long.parseLong(t.strip()), mult);
    }

    /** The limits in force, property -> value, for the docs and {@code --help}. */
    public static Map<String, Long> inForce() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Limit l : ALL) m.put(l.property(), l.get());
        return m;
    }
}
