package dev.leakdx.extract;

import dev.leakdx.facts.ProcessMemory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Per-process tables people paste: {@code ps aux}, {@code ps -eo pid,rss,comm} (any column order
 * ps accepts), {@code smem} / {@code smem -k} and {@code top}'s task list. The header names the
 * columns; a row is split into as many fields as the header has, the one free-text column
 * (COMMAND/CMD/ARGS/Command, which may hold spaces) taking what is left between the columns before
 * it and those after it. RSS is what the table says is resident: ps RSS/RSZ and top RES in KiB
 * (procps), smem RSS in KiB, or with a unit suffix (smem -k, top: K/M/G/T, 1024-based). One
 * {@link ProcessMemory} per row, source {@code ps}, {@code smem} or {@code top}, anon/file/shmem
 * unknown (-1); a row that does not fit the header is reported, not guessed.
 */
final class PsTableReader implements SectionReader {
    private static final Pattern SPLIT = Pattern.compile("\\s+");
    private static final Pattern SIZE = Pattern.compile("(?i)^(\\d+(?:\\.\\d+)?)([kmgtp]?)(?:i?b)?$");

    private final Section section;
    private final Sink sink;
    private List<String> columns;
    private int pid = -1, rss = -1, text = -1;
    private String source = "ps";

    PsTableReader(Section section, Sink sink) {
        this.section = section;
        this.sink = sink;
    }

    private boolean header(String line) {
        List<String> cols = List.of(SPLIT.split(line.strip()));
        int p = -1, r = -1, t = -1;
        boolean uss = false, res = false;
        for (int i = 0; i < cols.size(); i++) {
            String c = cols.get(i).toUpperCase(Locale.ROOT);
            switch (c) {
                case "PID" -> p = i;
                case "RSS", "RSZ" -> r = i;
                case "RES" -> { r = i; res = true; }
                case "COMMAND", "CMD", "ARGS", "COMM", "NAME" -> t = i;
                case "USS", "PSS" -> uss = true;
                default -> { }
            }
        }
        if (p < 0 || r < 0) return false;
        columns = cols;
        pid = p;
        rss = r;
        text = t;
        source = uss ? "smem" : res ? "top" : "ps";
        return true;
    }

    @Override public void line(long no, String original) {
        String line = MailQuote.strip(original);
        if (line.isBlank()) return;
        if (columns == null || looksLikeHeader(line)) {
            if (header(line)) return;
            if (columns == null) { sink.skipped(section.file(), no, line); return; }
        }
        String[] f = SPLIT.split(line.strip());
        int n = columns.size();
        if (f.length < n - (text == n - 1 ? 1 : 0)) { sink.skipped(section.file(), no, line); return; }
        // fields after the free-text column are counted from the end of the row
        int after = text < 0 ? 0 : n - 1 - text;
        String pidText = field(f, pid, n, after);
        String rssText = field(f, rss, n, after);
        long size = size(rssText);
        if (pidText == null || !pidText.matches("\\d+") || size < 0) { sink.skipped(section.file(), no, line); return; }
        String comm = "";
        if (text >= 0) {
            int end = f.length - after;
            if (end > text) comm = String.join(" ", java.util.Arrays.copyOfRange(f, text, end));
        }
        sink.fact(new ProcessMemory(Long.parseLong(pidText), comm, size, -1, -1, -1, -1, source, section.at(no)));
    }

    private boolean looksLikeHeader(String line) {
        String u = line.toUpperCase(Locale.ROOT);
        return u.matches(".*\\bPID\\b.*") && !u.matches(".*\\d.*\\d.*\\d.*");
    }

    /** The value of column {@code i} of a row of {@code n} header columns, free text at {@code text}. */
    private String field(String[] f, int i, int n, int after) {
        if (text < 0 || i < text) return i < f.length ? f[i] : null;
        if (i == text) return null;
        int fromEnd = n - 1 - i;
        int k = f.length - 1 - fromEnd;
        return k >= 0 && k < f.length ? f[k] : null;
    }

    /** KiB, or a number with a 1024-based unit suffix (smem -k "1.2M", top "2.1g"): bytes, or -1. */
    static long size(String s) {
        if (s == null) return -1;
        var m = SIZE.matcher(s.strip());
        if (!m.matches()) return -1;
        double v = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 50;
        };
        return Math.round(v * (1L << shift));
    }

    @Override public void end(long lastLine) { }
}
