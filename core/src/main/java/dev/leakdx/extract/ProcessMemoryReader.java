package dev.leakdx.extract;

import dev.leakdx.facts.ProcessMemory;
import dev.leakdx.facts.ProcessThreads;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what processes map, in every shape analysts capture it: /proc/PID/status,
 * /proc/PID/smaps (summed over VMAs), /proc/PID/smaps_rollup, /proc/PID/statm, as separate
 * files named PID.COMM.KIND, or as one dump from a script that prints, per process,
 * {@code PID(n) comm(x) mstat(statm fields)} and the files between {@code BEG:...}/{@code END:...}
 * markers (founding case 2). One {@link ProcessMemory} per process and source. statm is
 * recognised but not sized: it counts pages, and the page size is settled after extraction.
 */
final class ProcessMemoryReader implements SectionReader {
    private static final Pattern FILE = Pattern.compile("^(\\d+)\\.([^/]+?)\\.(status|smaps_rollup|smaps|statm)$");
    private static final Pattern DUMP_HEADER = Pattern.compile("^PID\\((\\d+)\\)\\s+comm\\(([^)]*)\\)\\s+mstat\\(([^)]*)\\)");
    private static final Pattern MARK = Pattern.compile("^(BEG|END):\\s*get\\s+(\\w+)");
    private static final Pattern KV = Pattern.compile("^([A-Za-z_()]+):\\s+(\\d+)\\s*kB\\s*$");
    private static final Pattern VMA = Pattern.compile("^[0-9a-f]+-[0-9a-f]+\\s+[-r][-w][-x][-psp]\\s");
    private static final Pattern STATUS_PID = Pattern.compile("^Pid:\\s+(\\d+)");
    private static final Pattern STATUS_NAME = Pattern.compile("^Name:\\s+(.*)$");
    private static final Pattern STATUS_THREADS = Pattern.compile("^Threads:\\s+(\\d+)\\s*$");

    private final Section section;
    private final Sink sink;
    /** A single status/smaps/smaps_rollup pasted alone (no PID.COMM.KIND name, no dump header). */
    private boolean alone, rollup;

    // the process being read
    private long pid = -1;
    private String comm = "";
    private String kind = "";
    private long first;
    private long rss = -1, anon = -1, anonHuge = -1, file = -1, shmem = -1;
    // status only: one kernel stack per thread; VmPTE is the page tables this mm holds
    private long threads = -1, pte = -1;

    ProcessMemoryReader(Section section, Sink sink) {
        this.section = section;
        this.sink = sink;
        String base = section.file().substring(section.file().lastIndexOf('/') + 1);
        Matcher m = FILE.matcher(base.replaceAll("\\.(txt|gz|xz)$", ""));
        if (m.matches()) {
            pid = Long.parseLong(m.group(1));
            comm = m.group(2);
            kind = m.group(3);
            first = section.firstLine();
        }
    }

    @Override public void line(long no, String text) {
        Matcher h = DUMP_HEADER.matcher(text);
        if (h.find()) {
            flush(no - 1);
            pid = Long.parseLong(h.group(1));
            comm = h.group(2);
            kind = "";
            first = no;
            return;
        }
        Matcher mk = MARK.matcher(text.strip());
        if (mk.find()) {
            if (mk.group(1).equals("BEG")) {
                String k = mk.group(2);
                kind = k.startsWith("smap") ? "smaps" : k.equals("status") ? "status" : k.equals("maps") ? "maps" : k;
                first = no;
            } else {
                flushValues(no);
                kind = "";
            }
            return;
        }
        if (pid < 0 && !alone && kind.isEmpty() && !text.isBlank()) {
            // one process's file pasted alone, under any name: status starts with Name:, smaps and
            // smaps_rollup with a VMA line ("[rollup]" for the rollup); the pid is read from status
            // (Pid:) and unknown (-1) for smaps
            if (STATUS_NAME.matcher(text).find()) kind = "status";
            else if (VMA.matcher(text).find()) {
                kind = "smaps";
                rollup = text.contains("[rollup]");
            }
            if (!kind.isEmpty()) {
                alone = true;
                first = no;
            }
        }
        if (pid < 0 && !alone) {
            if (!text.isBlank()) sink.skipped(section.file(), no, text);
            return;
        }
        // statm counts pages, and the page size is settled only after extraction; status/smaps say the same in kB
        if (kind.equals("statm")) return;
        if (alone && rollup && text.contains("[rollup]") && VMA.matcher(text).find()) {
            // several smaps_rollup pasted one after another: each [rollup] line is the next process
            if (lastLine >= first && (rss >= 0 || anon >= 0)) flushValues(lastLine);
            kind = "smaps";
            first = no;
            return;
        }
        if (kind.equals("maps") || VMA.matcher(text).find()) return; // VMA headers carry no sizes
        if (kind.equals("status")) {
            Matcher n = STATUS_PID.matcher(text);
            if (n.find()) pid = Long.parseLong(n.group(1));
            Matcher c = STATUS_NAME.matcher(text);
            if (c.find()) comm = c.group(1).strip();
            Matcher t = STATUS_THREADS.matcher(text.strip());
            if (t.matches()) {
                threads = Long.parseLong(t.group(1));
                lastLine = no;
            }
        }
        Matcher kv = KV.matcher(text.strip());
        if (!kv.matches()) return; // status has many non-memory keys; smaps has VmFlags etc.
        long b = Long.parseLong(kv.group(2)) * 1024;
        String key = kv.group(1);
        if (kind.equals("status")) {
            switch (key) {
                case "VmRSS" -> rss = b;
                case "RssAnon" -> anon = b;
                case "RssFile" -> file = b;
                case "RssShmem" -> shmem = b;
                case "VmPTE" -> pte = b;
                default -> { }
            }
        } else { // smaps and smaps_rollup: sum over VMAs (the rollup has one)
            switch (key) {
                case "Rss" -> rss = add(rss, b);
                case "Anonymous" -> anon = add(anon, b);
                case "AnonHugePages" -> anonHuge = add(anonHuge, b);
                case "Shared_Clean", "Private_Clean" -> { }
                default -> { }
            }
        }
        lastLine = no;
    }

    private long lastLine;

    private static long add(long acc, long b) { return acc < 0 ? b : acc + b; }

    private void flushValues(long last) {
        if ((pid < 0 && !alone) || kind.isEmpty() || kind.equals("maps")) { reset(); return; }
        if (rss >= 0 || anon >= 0 || anonHuge >= 0) {
            String source = kind.equals("smaps") && (rollup || section.file().endsWith("smaps_rollup")) ? "smaps_rollup" : kind;
            sink.fact(new ProcessMemory(pid, comm, rss, anon, anonHuge, file, shmem, source, section.span(first, Math.max(first, last))));
        }
        if (kind.equals("status") && threads > 0)
            sink.fact(new ProcessThreads(pid, comm, threads, pte, section.span(first, Math.max(first, last))));
        reset();
    }

    private void reset() {
        rss = anon = anonHuge = file = shmem = threads = pte = -1;
    }

    private void flush(long last) {
        flushValues(last);
    }

    @Override public void end(long last) {
        if (alone) {
            flushValues(lastLine > 0 ? lastLine : last);
            return;
        }
        if (kind.isEmpty() && !FILE.matcher(section.file().substring(section.file().lastIndexOf('/') + 1)).find()) {
            flush(last);
            return;
        }
        flushValues(lastLine > 0 ? lastLine : last);
    }
}
