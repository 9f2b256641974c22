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
            + "Dropping caches costs the host its page cache (I/O to read it back), so it is never done without this option; it needs root."})
    boolean dropCaches;

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
            r = collector.collect(work, dropCaches);
            if (!folder) BundleWriter.write(work, target);
        } finally {
            if (!folder) new Capture("", List.of(), Manifest.EMPTY, work).close();
        }
        System.err.printf("leakdx capture: %d files written to %s%n", r.files().size(), target);
        for (MissingInput m : r.missing()) System.err.println("  not captured: " + m.input() + " - " + m.hint());
        return 0;
    }
}
