package dev.leakdx.extract;

import dev.leakdx.facts.EventCounter;
import dev.leakdx.facts.MemCounter;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * numastat (numactl package). With {@code -m}, "Per-node system memory usage (in MBs):" then a
 * header of {@code Node N} columns and {@code Total}, a rule of dashes, and one row per
 * /sys/devices/system/node/nodeN/meminfo key in MiB with two decimals ({@code -c} rounds to whole
 * MiB and narrows the columns). Without options it prints the per-node numastat event counts
 * (numa_hit, numa_miss, ...: pages) under a header of {@code nodeN} names.
 *
 * <p>Facts: MemCounter(source "numastat", name "Node N KEY") per node and MemCounter(source
 * "numastat", name "KEY") for the Total column, bytes = MiB x 2^20 (rounded to the printed
 * precision); EventCounter(source "numastat", name "nodeN numa_hit") for the event table. The
 * source keeps them apart from /proc/meminfo: a node's MemUsed is not the host's. Lines numastat
 * prints about its own hash table ("Token X not in hash table.") are ignored.
 */
final class NumastatReader implements SectionReader {
    private static final Pattern SPLIT = Pattern.compile("\\s+");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");

    private final Section section;
    private final Sink sink;
    /** column labels after the row name: "Node 0", "Total", or "node0" */
    private List<String> nodes;
    private boolean mib;

    NumastatReader(Section section, Sink sink) {
        this.section = section;
        this.sink = sink;
    }

    @Override public void line(long no, String line) {
        String t = MailQuote.strip(line).strip();
        if (t.isEmpty() || t.matches("-+(\\s+-+)*") || t.startsWith("Token ")) return;
        if (t.startsWith("Per-node")) {
            mib = t.contains("(in MBs)");
            nodes = null;
            return;
        }
        if (t.matches("(?:Node\\s+\\d+\\s+)+Total") || t.matches("Node\\s+\\d+(?:\\s+Node\\s+\\d+)*")) {
            nodes = new ArrayList<>();
            var m = Pattern.compile("Node\\s+(\\d+)|Total").matcher(t);
            while (m.find()) nodes.add(m.group(1) != null ? "Node " + m.group(1) : "Total");
            mib = true;
            return;
        }
        if (t.matches("(?:node\\d+\\s*)+")) {
            nodes = new ArrayList<>(List.of(SPLIT.split(t)));
            mib = false;
            return;
        }
        if (nodes == null) { sink.skipped(section.file(), no, line); return; }
        String[] f = SPLIT.split(t);
        if (f.length != nodes.size() + 1) { sink.skipped(section.file(), no, line); return; }
        for (int i = 1; i < f.length; i++) if (!NUMBER.matcher(f[i]).matches()) { sink.skipped(section.file(), no, line); return; }
        String key = f[0];
        for (int i = 1; i < f.length; i++) {
            String col = nodes.get(i - 1);
            if (mib) {
                long bytes = Math.round(Double.parseDouble(f[i]) * (1 << 20));
                String name = col.equals("Total") ? key : col + " " + key;
                sink.fact(new MemCounter("numastat", name, -1, bytes, section.at(no)));
            } else {
                sink.fact(new EventCounter("numastat", col + " " + key, Long.parseLong(f[i].replaceAll("\\..*", "")), section.at(no)));
            }
        }
    }

    @Override public void end(long lastLine) { }
}
