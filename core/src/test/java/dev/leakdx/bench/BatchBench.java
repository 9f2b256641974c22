package dev.leakdx.bench;

import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.KnowledgeBase;
import dev.leakdx.explain.Explainer;
import dev.leakdx.extract.ExtractorRegistry;
import dev.leakdx.report.JsonReport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Many diagnoses in one process, for the benchmark: what a batch mode pays once (JVM start, the
 * KieBase build, JIT warm-up) and what it pays per capture after that. Builds one Diagnoser (the
 * packed rules and extractor specs), then diagnoses the given captures in turn, {@code --rounds}
 * times over, each down to its JSON report (as {@code leakdx diagnose --format json} does), and
 * prints one line: the KieBase build time, the first diagnose, the median of the others and the
 * captures per second after start-up.
 *
 * <p>Usage: {@code java -cp "$(bench/classpath.sh)" dev.leakdx.bench.BatchBench [--rounds N] CAPTURE...}
 */
public final class BatchBench {
    private BatchBench() {}

    public static void main(String[] args) throws Exception {
        // Drools logs through slf4j-simple; the benchmark wants its one line (as leakdx's Main does)
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "off"));
        int rounds = 50;
        List<Path> captures = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds")) rounds = Integer.parseInt(args[++i]);
            else captures.add(Path.of(args[i]));
        }
        if (captures.isEmpty()) {
            System.err.println("usage: BatchBench [--rounds N] CAPTURE...");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        KnowledgeBase kb = KnowledgeBase.load(null);
        Diagnoser d = new Diagnoser(kb, ExtractorRegistry.load(null));
        double build = (System.nanoTime() - t0) / 1e9;
        int n = rounds * captures.size();
        double[] each = new double[n];
        long bytes = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            try (Capture c = CaptureOpener.open(captures.get(i % captures.size()))) {
                bytes += JsonReport.render(new Explainer(d.diagnose(c), "leakdx").explain()).length();
            }
            each[i] = (System.nanoTime() - s) / 1e9;
        }
        double total = (System.nanoTime() - start) / 1e9;
        double[] warm = Arrays.copyOfRange(each, Math.min(n - 1, 1), n);
        Arrays.sort(warm);
        double median = warm[warm.length / 2];
        // throughput after start-up: the second half of the run, once the JIT has settled
        double secondHalf = 0;
        for (int i = n / 2; i < n; i++) secondHalf += each[i];
        double perSecond = (n - n / 2) / secondHalf;
        System.out.printf(Locale.ROOT, "kb_build_seconds=%.3f first_seconds=%.3f warm_median_seconds=%.4f captures=%d total_seconds=%.2f "
                + "captures_per_second=%.1f report_chars=%d%n", build, each[0], median, n, total, perSecond, bytes);
    }
}
