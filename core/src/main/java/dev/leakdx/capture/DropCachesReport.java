package dev.leakdx.capture;

import dev.leakdx.facts.Units;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code echo 3 > /proc/sys/vm/drop_caches} freed, counter by counter, from /proc/meminfo
 * read before and after it. This is the test of founding case 1's third step: on a healthy host
 * the page cache (Cached without Shmem) and Buffers fall together when caches are dropped, and
 * crash's SHARED falls with them (SHARED counts pages with a refcount above one, mostly page
 * cache); memory that stays after the drop is not cache. Written into the bundle as
 * drop-caches.txt and printed on standard error by {@code leakdx capture --drop-caches}.
 */
public final class DropCachesReport {
    /** The counters the drop moves, or that say what could not move, in the order they are shown. */
    static final List<String> COUNTERS = List.of("MemFree", "MemAvailable", "Buffers", "Cached", "Shmem",
            "Active(file)", "Inactive(file)", "Mapped", "Dirty", "SReclaimable", "SUnreclaim", "Slab");
    private static final Pattern LINE = Pattern.compile("(?m)^([A-Za-z0-9_()]+):\\s+(\\d+)(?: kB)?\\s*$");

    /** One counter's two readings in bytes; -1 is a counter the meminfo did not hold (unknown, never zero). */
    public record Row(String counter, long before, long after) {
        public long change() { return before < 0 || after < 0 ? 0 : after - before; }
        public boolean known() { return before >= 0 && after >= 0; }
    }

    private final List<Row> rows;
    private final String whenWhere;

    private DropCachesReport(List<Row> rows, String whenWhere) {
        this.rows = rows;
        this.whenWhere = whenWhere;
    }

    /** From the text of the two meminfo readings; {@code whenWhere} is the capture's "taken ... on ..." line. */
    public static DropCachesReport of(String meminfoBefore, String meminfoAfter, String whenWhere) {
        Map<String, Long> b = parse(meminfoBefore), a = parse(meminfoAfter);
        List<Row> rows = new ArrayList<>();
        for (String c : COUNTERS) if (b.containsKey(c) || a.containsKey(c)) rows.add(new Row(c, b.getOrDefault(c, -1L), a.getOrDefault(c, -1L)));
        return new DropCachesReport(rows, whenWhere);
    }

    static Map<String, Long> parse(String meminfo) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Matcher x = LINE.matcher(meminfo == null ? "" : meminfo); x.find(); ) {
            boolean kb = x.group(0).contains("kB");
            m.put(x.group(1), Long.parseLong(x.group(2)) * (kb ? 1024 : 1));
        }
        return m;
    }

    public List<Row> rows() { return rows; }

    /** A counter's row, or null when neither reading holds it. */
    public Row row(String counter) {
        for (Row r : rows) if (r.counter().equals(counter)) return r;
        return null;
    }

    /** Page cache proper: Cached without Shmem (tmpfs and shared memory are in Cached but cannot be dropped). */
    public long pageCache(boolean after) {
        Row c = row("Cached"), s = row("Shmem");
        if (c == null || !c.known()) return -1;
        long sh = s == null || !s.known() ? 0 : (after ? s.after() : s.before());
        return (after ? c.after() : c.before()) - sh;
    }

    /** The report as text: the when/where line, the table, then what it means. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("drop_caches: what echo 3 > /proc/sys/vm/drop_caches freed (/proc/meminfo before and after)\n");
        b.append(whenWhere).append('\n').append('\n');
        b.append(String.format(Locale.ROOT, "  %-15s %12s %12s %13s%n", "counter", "before", "after", "change"));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "  %-15s %12s %12s %13s%n", r.counter(),
                    r.before() < 0 ? "unknown" : Units.bytes(r.before()), r.after() < 0 ? "unknown" : Units.bytes(r.after()),
                    r.known() ? signed(r.change()) : "unknown"));
        }
        b.append('\n');
        for (String s : meaning()) b.append(s).append('\n');
        return b.toString();
    }

    /** What the figures say, in sentences (also the lines printed on standard error). */
    public List<String> meaning() {
        List<String> out = new ArrayList<>();
        Row cached = row("Cached"), free = row("MemFree"), buffers = row("Buffers"), srec = row("SReclaimable"), shmem = row("Shmem");
        if (cached == null || !cached.known()) {
            out.add("Cached is not in both readings: what the drop freed cannot be told.");
            return out;
        }
        long pcBefore = pageCache(false), pcAfter = pageCache(true);
        long freed = Math.max(0, -cached.change()) + (buffers != null && buffers.known() ? Math.max(0, -buffers.change()) : 0);
        out.add("Page cache (Cached without Shmem) went from " + Units.bytes(pcBefore) + " to " + Units.bytes(pcAfter)
                + (buffers != null && buffers.known() ? ", Buffers from " + Units.bytes(buffers.before()) + " to " + Units.bytes(buffers.after()) : "")
                + (srec != null && srec.known() ? ", reclaimable slab (dentries, inodes) from " + Units.bytes(srec.before()) + " to " + Units.bytes(srec.after()) : "")
                + ".");
        if (free != null && free.known())
            out.add("MemFree rose by " + Units.bytes(Math.max(0, free.change())) + " against " + Units.bytes(freed)
                    + " of Cached and Buffers dropped" + (srec != null && srec.known() && srec.change() < 0 ? " and " + Units.bytes(-srec.change()) + " of reclaimable slab" : "") + ".");
        if (shmem != null && shmem.known())
            out.add("Shmem (tmpfs, /dev/shm, SysV shared memory: counted in Cached, never dropped) stays at " + Units.bytes(shmem.after())
                    + ": " + Units.bytes(cached.after()) + " of Cached after the drop is Shmem and page cache in use (mapped, dirty).");
        out.add("SHARED vs CACHED (founding case 1): crash's kmem -i counts as SHARED the pages with a refcount above one, on a healthy host "
                + "mostly this page cache, so SHARED falls with CACHED when caches are dropped. A vmcore or later capture whose SHARED stays "
                + "far above CACHED holds pages that are not page cache (knowledge-base-docs/shared-cached.md).");
        return out;
    }

    private static String signed(long v) {
        return v == 0 ? "0" : (v > 0 ? "+" : "-") + Units.bytes(Math.abs(v));
    }
}
