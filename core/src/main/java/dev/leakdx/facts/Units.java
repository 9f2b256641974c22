package dev.leakdx.facts;

import java.util.Locale;

/** Byte formatting and parsing shared by facts, rules and reports (binary units, as the kernel and crash use). */
public final class Units {
    private Units() {}

    public static final long KiB = 1024L, MiB = KiB * 1024, GiB = MiB * 1024, TiB = GiB * 1024;

    public static String bytes(long b) {
        if (b < 0) return "-" + bytes(-b);
        if (b >= TiB) return fmt(b / (double) TiB, "TiB");
        if (b >= GiB) return fmt(b / (double) GiB, "GiB");
        if (b >= MiB) return fmt(b / (double) MiB, "MiB");
        if (b >= KiB) return fmt(b / (double) KiB, "KiB");
        return b + " B";
    }

    private static String fmt(double v, String unit) {
        // three significant figures, but never rounding away a half: 447 x 512 MiB is 223.5 GiB, not 224
        String s = v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + " " + unit;
    }

    public static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** Thousands separators, as the analysts write page counts (661,713). */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * Parses crash's human sizes ("510.4 GB", "83 MB", "128 KB", "0"): crash prints binary
     * multiples with decimal-looking suffixes. Returns -1 when the text is not a size.
     */
    public static long parseCrashSize(String s) {
        if (s == null) return -1;
        String t = s.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        if (t.isEmpty()) return -1;
        long mult = 1;
        if (t.endsWith("B")) t = t.substring(0, t.length() - 1);
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'K' -> mult = KiB;
            case 'M' -> mult = MiB;
            case 'G' -> mult = GiB;
            case 'T' -> mult = TiB;
            default -> { }
        }
        if (mult != 1) t = t.substring(0, t.length() - 1);
        try {
            return Math.round(Double.parseDouble(t) * mult);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static long parseHex(String s) {
        String t = s.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) t = t.substring(2);
        return Long.parseUnsignedLong(t, 16);
    }

    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    public static boolean isPowerOfTwo(long v) {
        return v > 0 && (v & (v - 1)) == 0;
    }
}
