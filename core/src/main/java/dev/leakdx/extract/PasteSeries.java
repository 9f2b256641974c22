package dev.leakdx.extract;

import dev.leakdx.facts.EventCounter;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.Provenance;
import dev.leakdx.facts.SlabCache;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pasted file that holds the same readings several times ({@code grep kmalloc /proc/slabinfo}
 * run every hour, a meminfo dumped in a loop), usually with {@code date} or {@code uptime} lines
 * between them: a time series, read as snapshots. A new snapshot starts where a date/uptime line
 * follows readings, or where a reading repeats (the same slab cache or counter seen again). Every
 * snapshot but the last is labelled {@code t1, t2, ...}; the last keeps the file's (empty) label,
 * so it stays the current state the rules judge, as {@code proc/} does beside {@code proc-t1/}
 * (engine/SnapshotTimes). A date line becomes {@code EventCounter(source "date", name "epoch_s")}
 * and an uptime line {@code EventCounter(source "uptime", name "uptime_cs")} of its snapshot, so
 * engine/Trends can give rates. Only files without a snapshot label of their own, outside crash
 * transcripts, are read this way.
 */
final class PasteSeries {
    private static final String MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec";
    /** date(1) in the C locale: "Tue Nov 12 10:31:02 CET 2019" (zone optional). */
    private static final Pattern DATE_C = Pattern.compile(
            "^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\\s+(?<mon>" + MONTHS + ")\\s+(?<day>\\d{1,2})\\s+(?<h>\\d{1,2}):(?<m>\\d{2}):(?<s>\\d{2})\\s+(?:[A-Z][A-Za-z0-9+-]{0,5}\\s+)?(?<y>\\d{4})$");
    /** date(1) in en_US/en_GB locales of coreutils 8.3x: "Tue 12 Nov 2019 10:31:02 AM CET". */
    private static final Pattern DATE_L = Pattern.compile(
            "^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\\s+(?<day>\\d{1,2})\\s+(?<mon>" + MONTHS + ")\\s+(?<y>\\d{4})\\s+(?<h>\\d{1,2}):(?<m>\\d{2}):(?<s>\\d{2})(?:\\s+(?<ampm>AM|PM))?(?:\\s+[A-Z][A-Za-z0-9+-]{0,5})?$");
    /** date -Is / --rfc-3339 / date '+%F %T': "2019-11-12T10:31:02+01:00", "2019-11-12 10:31:02". */
    private static final Pattern DATE_ISO = Pattern.compile(
            "^(?<y>\\d{4})-(?<mo>\\d{2})-(?<day>\\d{2})[T ](?<h>\\d{2}):(?<m>\\d{2}):(?<s>\\d{2})(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?$");
    /**
     * uptime(1) (procps sprint_uptime): " 10:31:02 up 5 days,  3:02,  2 users,  load average: ...";
     * the time since boot is "N day(s)," then "H:MM" or "M min" (Markdown bold around "up ..." is read past).
     */
    private static final Pattern UPTIME = Pattern.compile(
            "^[^\\d\\s]?\\s*\\d{1,2}:\\d{2}:\\d{2}\\s+\\**up\\s+(?:(?<d>\\d+)\\s+days?,\\s*)?(?:(?<h>\\d+):(?<hm>\\d{2})|(?<min>\\d+)\\s+min)\\**,\\s+(?:\\d+\\s+users?,\\s+)?load average");

    private record Marker(long line, long epoch, long uptime) {}

    private final List<Marker> markers = new ArrayList<>();

    /** True when the line is a date or uptime line (the marker between two readings). */
    static boolean isMarker(String text) {
        if (text.indexOf(':') < 0) return false; // every date and uptime line has a clock
        String t = text.strip();
        if (t.isEmpty() || t.length() > 200) return false;
        return epochOf(t) >= 0 || UPTIME.matcher(text).find();
    }

    void marker(long line, String text) {
        Matcher u = UPTIME.matcher(text);
        long up = -1;
        if (u.find()) {
            long d = u.group("d") == null ? 0 : Long.parseLong(u.group("d"));
            long minutes = u.group("min") != null ? Long.parseLong(u.group("min"))
                    : Long.parseLong(u.group("h")) * 60 + Long.parseLong(u.group("hm"));
            up = d * 86400 + minutes * 60;
        }
        markers.add(new Marker(line, epochOf(text.strip()), up));
    }

    /** Seconds since the epoch a date line names, read as UTC (only differences matter), or -1. */
    static long epochOf(String t) {
        for (Pattern p : new Pattern[] {DATE_C, DATE_L, DATE_ISO}) {
            Matcher m = p.matcher(t);
            if (!m.matches()) continue;
            try {
                int month = p == DATE_ISO ? Integer.parseInt(m.group("mo")) : MONTHS.indexOf(m.group("mon")) / 4 + 1;
                int h = Integer.parseInt(m.group("h"));
                if (p == DATE_L && m.group("ampm") != null) h = h % 12 + (m.group("ampm").equals("PM") ? 12 : 0);
                return LocalDateTime.of(Integer.parseInt(m.group("y")), month, Integer.parseInt(m.group("day")), h,
                        Integer.parseInt(m.group("m")), Integer.parseInt(m.group("s"))).toEpochSecond(ZoneOffset.UTC);
            } catch (java.time.DateTimeException | NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    private static final class Block {
        final List<Integer> facts = new ArrayList<>();
        final Set<String> keys = new HashSet<>();
        Marker date, uptime;
        long first = -1, last = -1;
    }

    /** The sources whose readings a paste repeats as a series (a log's OOM reports are events, not readings). */
    private static final Set<String> SOURCES = Set.of("slabinfo", "slabtop", "meminfo", "node meminfo", "free", "uptime");

    /** A reading's identity within one snapshot: the same key twice means the series moved on. */
    private static String key(Fact f) {
        if (f instanceof SlabCache c && SOURCES.contains(c.source())) return "slab " + c.source() + " " + c.name();
        if (f instanceof MemCounter m && SOURCES.contains(m.source())) return "mem " + m.source() + " " + m.name();
        if (f instanceof EventCounter e && SOURCES.contains(e.source())) return "event " + e.source() + " " + e.name();
        return null;
    }

    /**
     * Splits the facts the file gave (from index {@code from} of the sink) into snapshots and
     * relabels them, when there are at least two. Returns the number of snapshots (1 when none).
     */
    int finish(Sink sink, int from, String file, boolean relabel) {
        List<Fact> facts = sink.facts();
        List<Block> blocks = new ArrayList<>();
        Block cur = null;
        int mi = 0;
        for (int i = from; i < facts.size(); i++) {
            Fact f = facts.get(i);
            String k = key(f);
            if (k == null || (relabel && !f.provenance().snapshot().isEmpty()) || !f.provenance().file().equals(file)) continue;
            long line = f.provenance().firstLine();
            Marker date = null, uptime = null;
            boolean marked = false;
            while (mi < markers.size() && markers.get(mi).line() < line) {
                Marker m = markers.get(mi++);
                marked = true;
                if (m.epoch() >= 0) date = m;
                if (m.uptime() >= 0) uptime = m;
            }
            if (cur == null || (marked && !cur.facts.isEmpty()) || cur.keys.contains(k)) {
                cur = new Block();
                blocks.add(cur);
            }
            if (date != null) cur.date = date;
            if (uptime != null) cur.uptime = uptime;
            cur.facts.add(i);
            cur.keys.add(k);
            if (cur.first < 0) cur.first = line;
            cur.last = Math.max(cur.last, f.provenance().lastLine());
        }
        if (!relabel || blocks.size() < 2) return once(facts, blocks);
        // a reading seen again in a later snapshot is an earlier moment (t<n>); the last time a
        // reading appears it is the current value, unlabelled, whatever else was pasted around it
        int snapshots = 0;
        List<Fact> times = new ArrayList<>();
        StringBuilder spans = new StringBuilder();
        for (int b = 0; b < blocks.size(); b++) {
            Block blk = blocks.get(b);
            String label = "t" + (b + 1);
            boolean earlier = false;
            for (int i : blk.facts) {
                String k = key(facts.get(i));
                boolean later = false;
                for (int c = b + 1; c < blocks.size() && !later; c++) later = blocks.get(c).keys.contains(k);
                if (later) {
                    facts.set(i, relabel(facts.get(i), label));
                    earlier = true;
                }
            }
            boolean last = b == blocks.size() - 1;
            if (!earlier && !last) continue;
            String l = earlier ? label : "";
            snapshots++;
            Provenance any = facts.get(blk.facts.get(0)).provenance();
            if (blk.date != null)
                times.add(new EventCounter("date", "epoch_s", blk.date.epoch(), new Provenance(file, blk.date.line(), blk.date.line(), any.host(), l, any.command())));
            if (blk.uptime != null && blk.facts.stream().noneMatch(i -> facts.get(i) instanceof EventCounter e && e.source().equals("uptime")))
                times.add(new EventCounter("uptime", "uptime_cs", blk.uptime.uptime() * 100,
                        new Provenance(file, blk.uptime.line(), blk.uptime.line(), any.host(), l, any.command())));
            spans.append(spans.length() == 0 ? "" : ", ").append(l.isEmpty() ? "current" : l).append(' ').append(blk.first)
                    .append(blk.last > blk.first ? "-" + blk.last : "");
        }
        if (snapshots < 2) return once(facts, blocks);
        facts.addAll(times);
        sink.diagnostic(file, blocks.get(0).first, "info", String.format(Locale.ROOT,
                "the same readings appear in %d snapshots: read as a time series (lines %s); the last reading of each is the current state",
                snapshots, spans));
        return snapshots;
    }

    /**
     * Not a series: the file is one snapshot. A date or uptime line pasted before its readings
     * still times it (two files, t1 and the current one, each with its uptime).
     */
    private int once(List<Fact> facts, List<Block> blocks) {
        if (blocks.isEmpty()) return 1;
        Block b = blocks.get(0);
        Provenance any = facts.get(b.facts.get(0)).provenance();
        boolean hasUptime = facts.stream().anyMatch(f -> f instanceof EventCounter e && e.source().equals("uptime")
                && e.provenance().file().equals(any.file()));
        if (b.date != null)
            facts.add(new EventCounter("date", "epoch_s", b.date.epoch(),
                    new Provenance(any.file(), b.date.line(), b.date.line(), any.host(), any.snapshot(), any.command())));
        if (b.uptime != null && !hasUptime)
            facts.add(new EventCounter("uptime", "uptime_cs", b.uptime.uptime() * 100,
                    new Provenance(any.file(), b.uptime.line(), b.uptime.line(), any.host(), any.snapshot(), any.command())));
        return 1;
    }

    private static Fact relabel(Fact f, String label) {
        Provenance p = f.provenance();
        Provenance q = new Provenance(p.file(), p.firstLine(), p.lastLine(), p.host(), label, p.command());
        if (f instanceof SlabCache c)
            return new SlabCache(c.name(), c.activeObjs(), c.numObjs(), c.objSize(), c.objPerSlab(), c.pagesPerSlab(), c.activeSlabs(),
                    c.numSlabs(), c.source(), c.slabBytes(), q);
        if (f instanceof MemCounter m) return new MemCounter(m.source(), m.name(), m.pages(), m.bytes(), q);
        if (f instanceof EventCounter e) return new EventCounter(e.source(), e.name(), e.value(), q);
        return f;
    }
}
