package dev.leakdx.capture;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * sosreport and insights archives: thousands of files, of which leakdx reads a dozen. The archive
 * root is recognised by its sos_commands/ or sos_reports/ folder (sos), or insights_commands/
 * (insights-client); from it only the files below are handed to the extractors, and each expected
 * input that is absent is reported as missing, with what it would have added.
 *
 * <p>Paths are sos's own (sosreport/sos, sos/report/plugins): memory.py copies /proc/meminfo,
 * /proc/vmstat, /proc/slabinfo, /proc/vmallocinfo; kernel.py copies /proc/buddyinfo,
 * /proc/zoneinfo, /var/log/dmesg and runs "dmesg" and "dmesg -T" (saved as
 * sos_commands/kernel/dmesg and dmesg_-T); kdump.py copies /var/crash/{@literal *}/vmcore-dmesg.txt;
 * logs.py copies /var/log/messages* (RHEL) or syslog and kern.log (Debian, Ubuntu). Copied files keep
 * their absolute path under the archive root. sos_commands/memory/ holds free, swapon, lsmem and
 * slabtop output: the same numbers as meminfo and slabinfo, which are read directly instead.
 * insights archives keep the same proc/ paths and put command output in insights_commands/.
 */
public final class SosReport {
    private SosReport() {}

    /** One expected input: alternatives in order of preference (the first glob that matches wins, all its matches are read). */
    record Input(String name, List<String> globs, String hint) {}

    static final List<Input> INPUTS = List.of(
            new Input("proc/meminfo", List.of("proc/meminfo"), "the memory budget: where RAM went; without it there is no budget and no unexplained-memory verdict"),
            new Input("proc/vmstat", List.of("proc/vmstat"), "page counters: kernel stacks, THP splits, allocation activity"),
            new Input("proc/slabinfo", List.of("proc/slabinfo"), "per-cache slab sizes: which slab cache grows (sos needs root to copy it)"),
            new Input("proc/buddyinfo", List.of("proc/buddyinfo"), "free pages by order in each zone: fragmentation"),
            new Input("proc/zoneinfo", List.of("proc/zoneinfo"), "free pages and watermarks per zone"),
            new Input("proc/vmallocinfo", List.of("proc/vmallocinfo"), "vmalloc areas with their callers: vmalloc and ioremap leaks"),
            // one form of the current boot's log: dmesg and dmesg -T hold the same records, read twice they would double every OOM
            new Input("kernel log (sos_commands/kernel/dmesg)", List.of("sos_commands/kernel/dmesg", "insights_commands/dmesg",
                    "sos_commands/kernel/dmesg_-T", "var/log/dmesg"), "kernel release banner, OOM-killer reports, hugepage lines of this boot"),
            // one syslog family: Debian writes kernel lines to both syslog and kern.log
            new Input("system log (var/log/messages*, kern.log*, syslog*)", List.of("var/log/messages*", "var/log/kern.log*", "var/log/syslog*"),
                    "OOM-killer reports and kernel warnings from earlier boots"),
            new Input("var/crash/*/vmcore-dmesg.txt", List.of("var/crash/*/vmcore-dmesg.txt"),
                    "the log of a kernel that crashed (present only after a kdump crash): its last OOM and memory state"));

    /** Inputs a sosreport never has, with how to get them. */
    static final List<MissingInput> NEVER_IN_SOS = List.of(
            new MissingInput("per-process memory (/proc/PID/status, smaps_rollup)",
                    "sos keeps only ps output; run `leakdx capture` on the host: tells user-space memory from a kernel leak"),
            new MissingInput("page-types summary (/proc/kpageflags)",
                    "not in sos; run `leakdx capture` as root on the host: pages by state (THP no process maps, page-frag and driver pages)"));

    /** The sosreport or insights root: {@code dir} itself or its one top folder; null when it is neither. */
    static Path root(Path dir) throws IOException {
        if (isRoot(dir)) return dir;
        try (Stream<Path> top = Files.list(dir)) {
            List<Path> dirs = top.filter(Files::isDirectory).toList();
            if (dirs.size() == 1 && isRoot(dirs.get(0))) return dirs.get(0);
        }
        return null;
    }

    private static boolean isRoot(Path d) {
        return Files.isDirectory(d.resolve("sos_commands")) || Files.isDirectory(d.resolve("sos_reports"))
                || Files.isDirectory(d.resolve("insights_commands"));
    }

    /** Opens the files leakdx understands; {@code base} is the folder walked, {@code sos} the report root inside it. */
    static Capture open(Path base, Path sos, String display, String prefix, Path temp) throws IOException {
        List<String> rels;
        try (Stream<Path> s = Files.walk(sos)) {
            // sos leaves symbolic links at its root (free -> sos_commands/memory/free): the targets are what is read
            rels = s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .map(p -> sos.relativize(p).toString().replace('\\', '/')).sorted(Comparator.naturalOrder()).toList();
        }
        List<CaptureFile> files = new ArrayList<>();
        List<MissingInput> missing = new ArrayList<>();
        for (Input in : INPUTS) {
            List<String> chosen = List.of();
            for (String glob : in.globs()) {
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
                chosen = rels.stream().filter(r -> m.matches(Path.of(r))).filter(r -> nonEmpty(sos.resolve(r))).toList();
                if (!chosen.isEmpty()) break;
            }
            if (chosen.isEmpty()) missing.add(new MissingInput(in.name(), in.hint()));
            for (String r : chosen) {
                String cite = prefix + base.relativize(sos.resolve(r)).toString().replace('\\', '/');
                files.add(new CaptureFile(cite, sos.resolve(r), "", CaptureOpener.snapshotOf(r)));
            }
        }
        missing.addAll(NEVER_IN_SOS);
        return new Capture(display, files, Manifest.EMPTY, temp, missing);
    }

    private static boolean nonEmpty(Path p) {
        try {
            return Files.size(p) > 0; // sos writes an empty file for a command that failed
        } catch (IOException e) {
            return false;
        }
    }
}
