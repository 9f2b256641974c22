package dev.leakdx.bench;

import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.extract.Extractor;
import dev.leakdx.extract.ExtractorRegistry;
import dev.leakdx.extract.Sink;
import dev.leakdx.facts.PageGroup;

import java.nio.file.Path;
import java.util.Locale;

/**
 * leakdx extraction alone, for the benchmark: reads a capture (a page table file, plain, .gz or
 * .xz) with the packed extractor specs and prints one line: the pages and groups it found, the
 * pages with {@code --refcount} (0xffff by default, case 1's population), the lines read and
 * skipped, and the time spent in extraction (the JVM's start-up is not in it).
 *
 * <p>Usage: {@code java -cp "$(bench/classpath.sh)" dev.leakdx.bench.ExtractBench FILE [--refcount 0xffff] [--repeat N]}
 */
public final class ExtractBench {
    private ExtractBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ExtractBench CAPTURE [--refcount HEX] [--repeat N]");
            System.exit(2);
        }
        long refcount = 0xffff;
        int repeat = 1;
        for (int i = 1; i + 1 < args.length; i++) {
            if (args[i].equals("--refcount")) refcount = Long.decode(args[++i]);
            else if (args[i].equals("--repeat")) repeat = Integer.parseInt(args[++i]);
        }
        ExtractorRegistry registry = ExtractorRegistry.load(null);
        Sink sink = null;
        double secs = 0;
        for (int run = 0; run < repeat; run++) {
            long t0 = System.nanoTime();
            try (Capture c = CaptureOpener.open(Path.of(args[0]))) {
                sink = new Extractor(registry).extract(c);
            }
            secs = (System.nanoTime() - t0) / 1e9;
            if (repeat > 1) System.err.printf(Locale.ROOT, "run %d: %.3f s%n", run + 1, secs);
        }
        long pages = 0, groups = 0, population = 0, lines = 0, skipped = 0;
        int variants = 0;
        for (var f : sink.facts()) {
            if (f instanceof PageGroup g) {
                groups++;
                pages += g.totalPages();
                if (g.refcount() == refcount && g.lruClass().equals("LIST_POISON1") && g.mappingClass().equals("NULL")) {
                    population += g.totalPages();
                    variants += g.nodeZoneVariants();
                }
            }
        }
        for (var s : sink.fileStats().values()) {
            lines += s.lines;
            skipped += s.skipped;
        }
        System.out.printf(Locale.ROOT, "pages=%d groups=%d population=%d population_node_zone_values=%d lines=%d skipped=%d extract_seconds=%.3f%n",
                pages, groups, population, variants, lines, skipped, secs);
    }
}
