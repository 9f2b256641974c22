package dev.leakdx.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.explain.Explainer;
import dev.leakdx.explain.Report;
import dev.leakdx.facts.Units;
import dev.leakdx.report.JsonReport;
import dev.leakdx.report.MarkdownReport;
import dev.leakdx.report.Redaction;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Many captures in one process: one knowledge base, start-up paid once. Each capture is
 * diagnosed on its own (a capture that cannot be read is reported and the batch goes on) and
 * written as it completes, in the order given: a summary table (text, md) or one JSON report per
 * line (json). With {@code --output-dir}, each capture's full report is also written there.
 */
final class BatchRun {
    /**
     * One capture's outcome: its report, or why it has none. {@code label} is how the summary
     * names the capture: its path, redacted like its report under --redact (fleet bundles are
     * often named after the host).
     */
    record Outcome(Path capture, String label, Report report, String error) {
        Outcome(Path capture, Report report, String error) { this(capture, capture.toString(), report, error); }
        int exitCode() { return report == null ? 2 : report.exitCode(); }
    }

    private BatchRun() {}

    /**
     * What a batch diagnoses: every path given; with {@code expand}, a folder stands for its
     * entries (sub-folders and files, each a capture: a fleet's folder of bundles).
     */
    static List<Path> captures(List<Path> given, boolean expand) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : given) {
            // a path that is not there is that capture's row ("no such file or folder"), not the end of the batch
            if (expand && Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(x -> !x.getFileName().toString().startsWith(".")).sorted().forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no captures to diagnose in " + given);
        return out;
    }

    /**
     * Diagnoses the captures on {@code threads} threads (the KieBase is shared; each diagnose has
     * its own session) and hands each outcome to {@code done} in input order. Returns the worst
     * exit code: 2 if a capture was unusable, else 1 if any has a warning or critical verdict.
     */
    static int run(Diagnoser d, List<Path> captures, int threads, java.util.function.Consumer<Outcome> done) {
        return run(d, captures, threads, false, done);
    }

    /** As {@link #run(Diagnoser, List, int, java.util.function.Consumer)}, each report redacted when {@code redact}. */
    static int run(Diagnoser d, List<Path> captures, int threads, boolean redact, java.util.function.Consumer<Outcome> done) {
        d.knowledgeBase(); // rules that do not compile fail the batch here, once, not every capture
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "leakdx-batch");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Outcome>> pending = new ArrayList<>();
            for (Path p : captures) pending.add(pool.submit(() -> withinBudget(d, p, redact)));
            int worst = 0;
            for (int i = 0; i < pending.size(); i++) {
                Future<Outcome> f = pending.get(i);
                Outcome o;
                try {
                    o = f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } catch (Exception e) {
                    // never the batch: that capture's row says what went wrong
                    o = new Outcome(captures.get(i), null, dev.leakdx.capture.Failure.describe(e));
                }
                done.accept(o);
                worst = Math.max(worst, o.exitCode());
            }
            return worst;
        } finally {
            pool.shutdownNow();
        }
    }

    static Outcome diagnose(Diagnoser d, Path p) { return diagnose(d, p, false); }

    /** One capture diagnosed; with {@code redact}, its report and label go through Redaction as a single diagnose's would. */
    static Outcome diagnose(Diagnoser d, Path p, boolean redact) {
        if (!Files.exists(p)) return failed(p, redact, "no such file or folder");
        try (Capture c = CaptureOpener.open(p)) {
            if (c.files().isEmpty()) return failed(p, redact, "the capture holds no files");
            Diagnoser.Result result = d.diagnose(c);
            Report report = new Explainer(result, "leakdx " + Main.VERSION).explain();
            if (!redact) return new Outcome(p, report, null);
            Redaction r = Redaction.of(result.facts()).withCapture(p);
            report = r.apply(report);
            return new Outcome(p, r.redact(p.toString()), report, null);
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            return failed(p, redact, dev.leakdx.capture.Failure.describe(e));
        }
    }

    /**
     * One capture within its time budget ({@link dev.leakdx.capture.Limits#CAPTURE_SECONDS}): diagnosed on
     * a thread of its own; past the budget that thread is interrupted (its file reads and rule run stop)
     * and the capture's row says so, and the batch goes on.
     */
    static Outcome withinBudget(Diagnoser d, Path p, boolean redact) {
        return dev.leakdx.capture.CaptureBudget.run("leakdx-capture", () -> diagnose(d, p, redact), why -> failed(p, redact, why));
    }


    /** A capture without a report; under --redact its name and the error are redacted as a report would be. */
    private static Outcome failed(Path p, boolean redact, String error) {
        if (!redact) return new Outcome(p, null, error);
        Redaction r = Redaction.of(List.of()).withCapture(p);
        return new Outcome(p, r.redact(p.toString()), null, r.redact(error));
    }

    /** A JSON line: the report, or {"capture", "error", "exitCode"} when there is none. */
    static String jsonLine(Outcome o) {
        if (o.report() != null) return JsonReport.renderLine(o.report());
        ObjectNode n = JsonReport.mapper().createObjectNode();
        n.put("schema", Report.SCHEMA);
        n.put("capture", o.label());
        n.put("error", o.error());
        n.put("exitCode", 2);
        return n.toString();
    }

    static final String TABLE_HEADER = String.format(Locale.ROOT, "%-4s %-40s %-28s %-8s %5s %10s  %s",
            "EXIT", "CAPTURE", "TOP VERDICT", "SEVERITY", "CONF", "BYTES", "ALSO");

    static String tableLine(Outcome o) {
        if (o.report() == null)
            return String.format(Locale.ROOT, "%-4d %-40s error: %s", 2, o.label(), o.error());
        Report r = o.report();
        if (r.verdicts().isEmpty())
            return String.format(Locale.ROOT, "%-4d %-40s %-28s", r.exitCode(), o.label(), noVerdict(r));
        Report.Verdict v = r.verdicts().get(0);
        return String.format(Locale.ROOT, "%-4d %-40s %-28s %-8s %5.2f %10s  %s", r.exitCode(), o.label(), v.code(),
                v.severity(), v.confidence(), v.bytes() > 0 ? Units.bytes(v.bytes()) : "-", also(r));
    }

    static String markdownLine(Outcome o) {
        if (o.report() == null) return "| 2 | " + MarkdownReport.code(o.label(), true) + " | error: " + MarkdownReport.esc(o.error()) + " | | | | |";
        Report r = o.report();
        if (r.verdicts().isEmpty())
            return "| " + r.exitCode() + " | " + MarkdownReport.code(o.label(), true) + " | " + noVerdict(r) + " | | | | |";
        Report.Verdict v = r.verdicts().get(0);
        return String.format(Locale.ROOT, "| %d | %s | %s | %s | %.2f | %s | %s |", r.exitCode(), MarkdownReport.code(o.label(), true), v.code(), v.severity(),
                v.confidence(), v.bytes() > 0 ? Units.bytes(v.bytes()) : "-", also(r));
    }

    private static String noVerdict(Report r) { return r.exitCode() == 2 ? "(nothing readable)" : "(no verdict)"; }

    /** The codes of the verdicts after the first, space-separated. */
    private static String also(Report r) {
        List<String> codes = new ArrayList<>();
        for (int i = 1; i < r.verdicts().size(); i++) codes.add(r.verdicts().get(i).code());
        return String.join(" ", codes);
    }

    /** Writes every outcome's full report into {@code dir}, named after the capture. */
    static void writeFull(Outcome o, Path dir, String ext, Function<Report, String> render, PrintStream err) {
        writeFull(o, dir, ext, render, err, new java.util.HashSet<>(), null);
    }

    /**
     * As above; {@code taken} holds the names this batch has written, so two captures that would get
     * the same name ({@code a/} and {@code a.tar.gz}, or {@code x/a} and {@code y/a}) get distinct
     * ones: the second keeps its archive suffix ({@code a.tar.gz.md}), then a number ({@code a-2.md}).
     * A non-null {@code fixedName} replaces the capture's name (under --redact, where every capture's
     * host is "host-1" of its own report, the batch numbers them: capture-1, ...).
     */
    static void writeFull(Outcome o, Path dir, String ext, Function<Report, String> render, PrintStream err,
                          java.util.Set<String> taken, String fixedName) {
        if (o.report() == null) return;
        // named after the label: the capture's path, or its redacted form under --redact
        Path labelled = Path.of(o.label());
        String file = fixedName != null ? fixedName : labelled.getFileName() == null ? "capture" : labelled.getFileName().toString();
        String name = file.replaceAll("\\.(tar\\.gz|tgz|tar\\.xz|txz|tar|zip|gz|xz)$", "");
        if (taken.contains(name)) name = file;
        for (int i = 2; taken.contains(name); i++) name = file + "-" + i;
        taken.add(name);
        Path target = dir.resolve(name + "." + ext);
        try {
            Files.createDirectories(dir);
            Files.writeString(target, render.apply(o.report()));
        } catch (IOException e) {
            err.println("leakdx: " + target + ": cannot write the report: " + dev.leakdx.capture.Failure.reason(e));
        }
    }
}
