package dev.leakdx.cli;

import dev.leakdx.capture.BundleWriter;
import dev.leakdx.capture.Capture;
import dev.leakdx.capture.LiveCollector;
import dev.leakdx.capture.MissingInput;
import dev.leakdx.capture.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "capture", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Captures this host's memory state into a bundle for leakdx or an expert.",
                "The bundle holds /proc meminfo, vmstat, slabinfo, buddyinfo, zoneinfo and vmallocinfo, the kernel log, each process's "
                        + "status and smaps_rollup, a page-types summary built from /proc/kpageflags (root), and a case.yaml stating the host, "
                        + "kernel release, page size, time and what could not be read.",
                "Run it as root for slabinfo, kpageflags and every process. Exit code 0: written; 2: not written."})
final class CaptureCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
            description = "Write the bundle to FILE.tar.gz (or .tgz; .tar.gz is added to any other name); a path ending in / is written as a folder.")
    String output;

    @Option(names = "--drop-caches", description = {"Also take the before/after pair: proc-before/, then echo 3 > /proc/sys/vm/drop_caches, then proc/. "
            + "What the drop freed, counter by counter (MemFree, Buffers, Cached, Shmem, SReclaimable, ...: the SHARED vs CACHED test of founding case 1), "
            + "is written to drop-caches.txt in the bundle and printed on standard error. "
            + "Dropping caches costs the host its page cache (I/O to read it back), so it is never done without this option; it needs root."})
    boolean dropCaches;

    @Option(names = "--redact", description = {"Write a bundle safe to send out: host names, process names, cgroup names, user names, kernel addresses, "
            + "IP and MAC addresses and UUIDs are replaced in every file and file name by stable placeholders (host-1, proc-1, cgroup-1, user-1, "
            + "0000add000000001, 10.0.0.1, 02:00:00:00:00:01). The figures stay, so the bundle gives the same verdicts. "
            + "What was replaced by what is written beside the bundle (FILE.redaction.tsv), never inside it."})
    boolean redact;

    @Option(names = {"-q", "--quiet"}, description = "Print no progress on standard error.")
    boolean quiet;

    @Override public Integer call() throws Exception {
        if (dropCaches && !LiveCollector.isRoot(Path.of("/proc")))
            throw new IllegalArgumentException("--drop-caches needs root (it writes /proc/sys/vm/drop_caches); run again as root or without it");
        boolean folder = output.endsWith("/") || Files.isDirectory(Path.of(output));
        Path target = Path.of(output);
        if (!folder && !output.matches("(?i).*(\\.tar\\.gz|\\.tgz)$")) target = Path.of(output + ".tar.gz");
        LiveCollector collector = new LiveCollector(s -> { if (!quiet) System.err.println("leakdx capture: " + s); });
        Path work = folder ? target : dev.leakdx.capture.TempDirs.create("capture");
        LiveCollector.Result r;
        try {
            r = collector.collect(work, dropCaches, redact);
            if (!folder) BundleWriter.write(work, target, redact ? redactedTop(BundleWriter.topName(target), r.redactions()) : BundleWriter.topName(target));
        } finally {
            if (!folder) new Capture("", List.of(), Manifest.EMPTY, work).close();
        }
        if (r.dropReport() != null) System.err.print(r.dropReport().lines().map(l -> "leakdx capture: " + l + "\n").collect(java.util.stream.Collectors.joining()));
        System.err.printf("leakdx capture: %d files written to %s (%s)%n", r.files().size(), target, r.whenWhere());
        for (MissingInput m : r.missing()) System.err.println("  not captured: " + m.input() + " - " + m.hint());
        if (redact) {
            Path map = Path.of(target.toString().replaceAll("/+$", "") + ".redaction.tsv");
            writeMapping(map, r.redactions());
            System.err.printf("leakdx capture: %d names and addresses replaced; what replaced what is in %s (keep it, do not send it)%n", r.redactions().size(), map);
            String fileName = target.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            for (String original : r.redactions().keySet())
                if (original.length() > 2 && fileName.contains(original.toLowerCase(java.util.Locale.ROOT)))
                    System.err.printf("leakdx capture: note: the bundle's own file name holds '%s', which the bundle hides: rename it before sending%n", original);
        }
        return 0;
    }

    /** The tarball's top folder under --redact: the name given, with any name it hides replaced. */
    static String redactedTop(String top, java.util.Map<String, String> mapping) {
        String t = top;
        for (var e : mapping.entrySet())
            if (e.getKey().length() > 2) t = t.replaceAll("(?i)" + java.util.regex.Pattern.quote(e.getKey()), java.util.regex.Matcher.quoteReplacement(e.getValue()));
        return t.replaceAll("[^A-Za-z0-9_.:+@-]", "_");
    }

    /** original TAB placeholder, one a line, readable only by its owner where the file system allows. */
    private static void writeMapping(Path map, java.util.Map<String, String> mapping) throws java.io.IOException {
        StringBuilder b = new StringBuilder("# leakdx capture --redact: original\tplaceholder (keep this file; do not send it with the bundle)\n");
        mapping.forEach((k, v) -> b.append(k.replace('\t', ' ').replace('\n', ' ')).append('\t').append(v).append('\n'));
        Files.deleteIfExists(map);
        try {
            Files.createFile(map, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(map);
        }
        Files.writeString(map, b.toString());
    }
}
