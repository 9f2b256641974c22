package dev.leakdx.extract;

import dev.leakdx.facts.ZoneInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * /proc/zoneinfo (mm/vmstat.c zoneinfo_show_print): one block per zone, opened by
 * "Node N, zone NAME", then "per-node stats" (first zone of a node, 4.8+), "pages free N", the
 * watermarks and sizes indented alone on their lines ("        min      87", also boost,
 * spanned, present, managed, cma, scanned on old kernels), the zone's vm stats, "protection:",
 * "pagesets" with per-CPU "high:  54" lines (colon: not the zone's high), "node_unreclaimable:"
 * and "start_pfn:". One ZoneInfo per zone, citing the block's lines. A block that lacks a value
 * (a file cut short) still gives its fact, the missing values -1, with a warning; a block
 * without "pages free" gives none. A line that fits none of the shapes of the format is
 * counted as skipped.
 */
final class ZoneInfoReader implements SectionReader {
    private static final Pattern ZONE = Pattern.compile("^Node\\s+(\\d+),\\s+zone\\s+(\\S+)\\s*$");
    private static final Pattern FREE = Pattern.compile("^\\s+pages free\\s+(\\S+)\\s*$");
    /** A zone-level value: indented word, spaces, number; no colon (per-CPU pageset lines have one). */
    private static final Pattern VALUE = Pattern.compile("^\\s+([a-z_]+)\\s+(\\S+)\\s*$");
    private static final List<String> WANTED = List.of("min", "low", "high", "present", "managed");
    /** Lines of the format that carry nothing this reader needs. */
    private static final Pattern KNOWN = Pattern.compile(
            "^\\s+(per-node stats|pagesets|protection: \\(.*\\)|[a-z_]+:?\\s+-?\\d+|cpu:\\s+\\d+|[a-z_ ]+:\\s+-?\\d+|vm stats threshold:\\s+\\d+)\\s*$");

    private final Section section;
    private final Sink sink;

    private int node = -1;
    private String zone;
    private long start, last;
    private boolean inWatermarks, sawFree, pagesets;
    private long free = -1;
    private final Map<String, Long> values = new LinkedHashMap<>();

    ZoneInfoReader(Section section, Sink sink) {
        this.section = section;
        this.sink = sink;
    }

    @Override public void line(long lineNo, String text) {
        if (text.isBlank()) return;
        Matcher z = ZONE.matcher(text);
        if (z.matches()) {
            flush();
            node = Integer.parseInt(z.group(1));
            zone = z.group(2);
            start = last = lineNo;
            return;
        }
        if (zone == null) {
            sink.skipped(section.file(), lineNo, text);
            return;
        }
        Matcher f = FREE.matcher(text);
        if (f.matches()) {
            last = lineNo;
            if (sawFree) {
                sink.diagnostic(section.file(), lineNo, "warning", section.spec().id() + ": zone " + zone + " of node " + node
                        + " has a second 'pages free' line; the first is kept");
                return;
            }
            sawFree = true;
            inWatermarks = !pagesets;
            Long v = number(f.group(1), lineNo, "pages free");
            if (v != null) free = v;
            return;
        }
        if (text.strip().equals("pagesets")) {
            pagesets = true;
            inWatermarks = false;
            last = lineNo;
            return;
        }
        Matcher v = VALUE.matcher(text);
        if (v.matches() && inWatermarks) {
            last = lineNo;
            String key = v.group(1);
            if (WANTED.contains(key)) {
                Long n = number(v.group(2), lineNo, key);
                if (n != null && !values.containsKey(key)) values.put(key, n);
            }
            return;
        }
        if (KNOWN.matcher(text).matches()) {
            last = lineNo;
            // the zone's own values are over once its protection line is printed (before 4.x: after the vm stats)
            if (text.strip().startsWith("protection:")) inWatermarks = false;
            return;
        }
        sink.skipped(section.file(), lineNo, text);
    }

    private Long number(String s, long lineNo, String key) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            sink.diagnostic(section.file(), lineNo, "warning", section.spec().id() + ": zone " + zone + " of node " + node
                    + ": '" + key + "' is not a number: " + s);
            return null;
        }
    }

    private void flush() {
        if (zone == null) return;
        if (!sawFree || free < 0) {
            sink.diagnostic(section.file(), start, "warning", section.spec().id() + ": zone " + zone + " of node " + node
                    + " has no 'pages free' value; no ZoneInfo for it");
        } else {
            List<String> missing = new ArrayList<>();
            for (String k : WANTED) if (!values.containsKey(k)) missing.add(k);
            if (!missing.isEmpty())
                sink.diagnostic(section.file(), last, "warning", section.spec().id() + ": zone " + zone + " of node " + node
                        + " lacks " + String.join(", ", missing) + " (cut short?); they are -1");
            sink.fact(new ZoneInfo(node, zone, free, get("min"), get("low"), get("high"), get("present"), get("managed"),
                    section.span(start, last)));
        }
        zone = null;
        node = -1;
        free = -1;
        sawFree = inWatermarks = pagesets = false;
        values.clear();
    }

    private long get(String k) {
        Long v = values.get(k);
        return v == null ? -1 : v;
    }

    @Override public void end(long lastLine) {
        flush();
    }
}
