package dev.leakdx.extract;

import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.Units;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * free(1) of procps and procps-ng in every layout (facts-extractors/free.yaml says which): the
 * header names the columns, so each row value is stored under its column, as
 * {@code MemCounter(source "free", name "<row> <column>")} in bytes. The unit comes from the value
 * itself ({@code 7.7Gi}, {@code 980M}, {@code 0B}: -h / --si), else from the command's options when
 * the paste shows the prompt ({@code free -m}), else it is inferred from the size of the Mem total
 * and said so in a diagnostic. Java, not a YAML spec, because columns are named by the header and
 * the unit is settled once for the whole table.
 */
final class FreeReader implements SectionReader {
    private static final Pattern HEADER = Pattern.compile("^\\s+total\\s+used\\s+free(\\s+\\S+)*\\s*$");
    private static final Pattern ROW = Pattern.compile("^\\s*(?<row>Mem|Swap|Total|Low|High|-/\\+ buffers/cache|Comm):\\s*(?<values>\\S.*)$");
    private static final Pattern VALUE = Pattern.compile("^(?<n>\\d+(?:[.,]\\d+)?)(?<unit>[BKMGTPE]i?)?$");

    private final Section section;
    private final Sink sink;
    private List<String> columns = List.of();
    /** Bytes per unit of a bare number: settled from the command, else at the Mem row. */
    private long unit = -1;
    private boolean decimal;
    private String unitHow = "";

    FreeReader(Section section, Sink sink) {
        this.section = section;
        this.sink = sink;
        fromCommand(section.command());
    }

    /** free's unit options: -b -k -m -g --tebi --pebi (binary), --kilo --mega --giga --tera (decimal), --si with -h. */
    private void fromCommand(String command) {
        String base = Section.baseOf(command);
        if (!base.matches("^(?:sudo\\s+)?free\\b.*")) return;
        for (String t : base.split("\\s+")) {
            if (t.startsWith("--")) {
                switch (t) {
                    case "--bytes" -> set(1, "free -b");
                    case "--kibi" -> set(1L << 10, "free --kibi");
                    case "--mebi" -> set(1L << 20, "free --mebi");
                    case "--gibi" -> set(1L << 30, "free --gibi");
                    case "--tebi" -> set(1L << 40, "free --tebi");
                    case "--kilo" -> set(1000L, "free --kilo");
                    case "--mega" -> set(1000_000L, "free --mega");
                    case "--giga" -> set(1000_000_000L, "free --giga");
                    case "--tera" -> set(1000_000_000_000L, "free --tera");
                    case "--si" -> decimal = true;
                    default -> { }
                }
            } else if (t.startsWith("-") && t.length() > 1) {
                for (char c : t.substring(1).toCharArray()) {
                    switch (c) {
                        case 'b' -> set(1, "free -b");
                        case 'k' -> set(1L << 10, "free -k");
                        case 'm' -> set(1L << 20, "free -m");
                        case 'g' -> set(1L << 30, "free -g");
                        default -> { }
                    }
                }
            }
        }
    }

    private void set(long u, String how) {
        unit = u;
        unitHow = how;
    }

    @Override public void line(long no, String text) {
        if (text.isBlank()) return;
        if (HEADER.matcher(text).matches()) {
            columns = new ArrayList<>(List.of(text.strip().split("\\s+")));
            return;
        }
        Matcher r = ROW.matcher(text);
        if (!r.matches() || columns.isEmpty()) {
            sink.skipped(section.file(), no, text);
            return;
        }
        String row = r.group("row");
        String[] values = r.group("values").strip().split("\\s+");
        List<String> cols = columns;
        // "-/+ buffers/cache:" gives used and free only
        if (row.startsWith("-/+")) cols = List.of("used", "free");
        if (values.length > cols.size()) {
            sink.skipped(section.file(), no, text);
            return;
        }
        if (unit < 0 && row.equals("Mem")) inferUnit(values, no);
        for (int i = 0; i < values.length; i++) {
            long b = bytes(values[i]);
            if (b < 0) {
                sink.diagnostic(section.file(), no, "error", "free: not a size: " + values[i]);
                continue;
            }
            sink.fact(new MemCounter("free", row + " " + column(cols.get(i)), -1, b, section.at(no)));
        }
    }

    /** procps-ng's wide and old layouts say "cached", 3.3.10+ "cache": one name for rules ("cache"), see free.yaml. */
    private static String column(String c) {
        return c.equals("cached") ? "cache" : c;
    }

    /**
     * No unit stated and the values bare: free prints KiB by default. A -b paste is told by every
     * Mem value being a multiple of 1024 (the kernel counts in KiB); a -m or -g paste by a Mem total
     * too small to be KiB of a machine that runs procps (under 64 MiB). The guess is reported.
     */
    private void inferUnit(String[] values, long no) {
        boolean bare = true, all1024 = true;
        long total = -1;
        for (int i = 0; i < values.length; i++) {
            Matcher v = VALUE.matcher(values[i]);
            if (!v.matches() || v.group("unit") != null || v.group("n").contains(".") || v.group("n").contains(",")) { bare = false; break; }
            long n = Long.parseLong(v.group("n"));
            if (i == 0) total = n;
            if (n % 1024 != 0) all1024 = false;
        }
        if (!bare || total < 0) return;
        if (all1024 && total >= (1L << 26)) {
            set(1, "inferred: every Mem value is a multiple of 1024, as free -b prints");
        } else if (total >= 65536) {
            set(1L << 10, "free's default (KiB)");
            return;
        } else if (total >= 256) {
            set(1L << 20, "inferred: a Mem total of " + total + " is too small for KiB, read as MiB (free -m)");
        } else {
            set(1L << 30, "inferred: a Mem total of " + total + " is too small for KiB or MiB, read as GiB (free -g)");
        }
        sink.diagnostic(section.file(), no, "info", "free: the unit is not stated (no `free -m`-style prompt in the paste); "
                + unitHow + "; paste the command line to settle it");
    }

    private long bytes(String s) {
        Matcher v = VALUE.matcher(s);
        if (!v.matches()) return -1;
        String n = v.group("n").replace(',', '.');
        String u = v.group("unit");
        if (u == null) {
            if (n.contains(".")) return -1;
            long mult = unit > 0 ? unit : 1024;
            return Long.parseLong(n) * mult;
        }
        double x = Double.parseDouble(n);
        if (u.equals("B")) return Math.round(x);
        int pow = "KMGTPE".indexOf(u.charAt(0)) + 1;
        // "Gi" is binary; a bare "G" is decimal only under --si (procps-ng before 3.3.11 printed
        // binary sizes with a bare suffix: "7.6G" on CentOS 7 is GiB)
        double base = u.endsWith("i") || !decimal ? 1024 : 1000;
        return Math.round(x * Math.pow(base, pow));
    }

    @Override public boolean accepts(String text) {
        return text.isBlank() || HEADER.matcher(text).matches() || ROW.matcher(text).matches();
    }

    @Override public void end(long last) { }

    static String describeUnit(long unit) { return Units.bytes(unit).toLowerCase(Locale.ROOT); }
}
