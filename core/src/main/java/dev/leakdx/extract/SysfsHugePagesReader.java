package dev.leakdx.extract;

import dev.leakdx.facts.HugePagePool;
import dev.leakdx.facts.Provenance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hugetlb pools as sysfs shows them (mm/hugetlb_sysfs.c, mm/hugetlb.c before 6.x): one value a
 * file under /sys/kernel/mm/hugepages/hugepages-SIZEkB/ (nr_hugepages, free_hugepages,
 * surplus_hugepages, resv_hugepages, nr_overcommit_hugepages) and per node under
 * /sys/devices/system/node/nodeN/hugepages/hugepages-SIZEkB/ (nr, free, surplus). People paste them
 * as {@code grep . /sys/kernel/mm/hugepages/*}{@code /*} ("path:value"), or as {@code head} prints
 * several files ("==> path <==" then the value). Values of one directory are gathered and each
 * directory with nr_hugepages becomes a {@link HugePagePool}, as the per-node dmesg lines do: node "all"
 * for the global directory, "N" for a node's. Free unknown (no free_hugepages line) is not 0: such a
 * directory is reported and not made a pool. Provenance spans the directory's lines.
 */
final class SysfsHugePagesReader implements SectionReader {
    private static final Pattern GREP = Pattern.compile("^(\\S*?hugepages-(\\d+)kB)/(\\w+):\\s*(\\d+)\\s*$");
    private static final Pattern HEAD = Pattern.compile("^==>\\s*(\\S*?hugepages-(\\d+)kB)/(\\w+)\\s*<==\\s*$");
    private static final Pattern NODE = Pattern.compile("node(\\d+)/hugepages/");

    private static final class Dir {
        final String node;
        final long sizeKb;
        long total = -1, free = -1, surplus = 0, first, last;
        final java.util.Set<String> keys = new java.util.HashSet<>();
        Dir(String node, long sizeKb, long line) { this.node = node; this.sizeKb = sizeKb; this.first = line; this.last = line; }
    }

    private final Section section;
    private final Sink sink;
    private final Map<String, Dir> dirs = new LinkedHashMap<>();
    private String pendingDir, pendingKey;
    private long pendingSize;

    SysfsHugePagesReader(Section section, Sink sink) {
        this.section = section;
        this.sink = sink;
    }

    @Override public void line(long no, String line) {
        String t = MailQuote.strip(line).strip();
        if (t.isEmpty()) return;
        Matcher m = GREP.matcher(t);
        if (m.matches()) {
            value(m.group(1), Long.parseLong(m.group(2)), m.group(3), Long.parseLong(m.group(4)), no);
            pendingDir = null;
            return;
        }
        m = HEAD.matcher(t);
        if (m.matches()) {
            pendingDir = m.group(1);
            pendingSize = Long.parseLong(m.group(2));
            pendingKey = m.group(3);
            return;
        }
        if (pendingDir != null && t.matches("\\d+")) {
            value(pendingDir, pendingSize, pendingKey, Long.parseLong(t), no);
            pendingDir = null;
            return;
        }
        sink.skipped(section.file(), no, line);
    }

    private void value(String dir, long sizeKb, String key, long v, long no) {
        // the same file again (the grep was run once more, e.g. before and after a test): the values read so far
        // are one reading, made a pool now, and a new reading of that directory begins
        Dir seen = dirs.get(dir);
        if (seen != null && seen.keys.contains(key)) {
            pool(seen);
            dirs.remove(dir);
        }
        Matcher n = NODE.matcher(dir);
        Dir d = dirs.computeIfAbsent(dir, k -> new Dir(n.find() ? n.group(1) : "all", sizeKb, no));
        d.keys.add(key);
        d.last = no;
        switch (key) {
            case "nr_hugepages" -> d.total = v;
            case "free_hugepages" -> d.free = v;
            case "surplus_hugepages" -> d.surplus = v;
            default -> { }
        }
    }

    @Override public void end(long lastLine) {
        for (Dir d : dirs.values()) pool(d);
    }

    private void pool(Dir d) {
        Provenance p = section.span(d.first, d.last);
        if (d.total < 0 || d.free < 0) {
            sink.diagnostic(section.file(), d.first, "warning", "hugepages-" + d.sizeKb + "kB" + (d.node.equals("all") ? "" : " on node " + d.node)
                    + ": " + (d.total < 0 ? "no nr_hugepages" : "no free_hugepages") + " value, so the pool is not known");
            return;
        }
        sink.fact(new HugePagePool(d.node, d.sizeKb * 1024, d.total, d.free, d.surplus, p));
    }
}
