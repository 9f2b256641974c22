package dev.leakdx.cli;

import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.explain.Explainer;
import dev.leakdx.explain.Report;
import dev.leakdx.report.HtmlReport;
import dev.leakdx.report.JsonReport;
import dev.leakdx.report.MarkdownReport;
import dev.leakdx.report.Redaction;
import dev.leakdx.report.TextReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "diagnose", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Diagnoses a capture: a folder, a .tar/.tar.gz/.zip bundle, or a single file (plain, .gz or .xz);",
                "a sosreport or insights archive (folder or tarball) is read for the files leakdx understands, and the missing ones are listed.",
                "With no CAPTURE: this host, live (what `leakdx capture` would bundle, read from /proc; run as root for slabinfo and kpageflags).",
                "Several CAPTUREs (or --batch) diagnose each in one process: a summary table (text, md) or one JSON report per line (json).",
                "Exit code 0: no warning or critical verdict; 1: at least one; 2: input or arguments unusable (in a batch: any capture)."})
final class DiagnoseCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "CAPTURE", description = "The capture(s) to diagnose; none: this host, live.")
    List<Path> captures = new java.util.ArrayList<>();

    @Option(names = "--batch", description = "Each CAPTURE folder stands for its entries (a folder of bundles: each sub-folder or archive is one capture).")
    boolean batch;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Batch: also write each capture's full report (in --format) to DIR/NAME.EXT.")
    Path outputDir;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Batch: captures diagnosed at once (default: the number of cores).")
    Integer jobs;

    @Option(names = {"-f", "--format"}, defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default), md, json or html (one self-contained page with a chart of the memory budget).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    Path output;

    @Option(names = "--explain", description = "Text format: print each verdict's explanation tree.")
    boolean explain;

    @Option(names = "--explain-rule", paramLabel = "CODE_OR_NAME",
            description = "Instead of the report: why that rule did not fire on this capture (the first pattern and constraint no fact matched, and the closest facts), or what it concluded.")
    String explainRule;

    @Option(names = "--redact", description = "Replace host names, process names, home-folder user names and kernel addresses by stable placeholders (host-1, proc-1, user-1, addr-1) in every format, and in batch mode in each report and summary line.")
    boolean redact;

    @Mixin KnowledgeOptions knowledge;

    @Override public Integer call() throws Exception {
        if (!format.matches("text|md|markdown|json|html"))
            throw new IllegalArgumentException("unknown format '" + format + "': use text, md, json or html");
        if (batch && captures.isEmpty()) throw new IllegalArgumentException("--batch needs at least one CAPTURE folder");
        OutputGuard.check(output, captures);
        if (batch || captures.size() > 1) return batch();
        if (captures.isEmpty()) return live();
        return diagnose(captures.get(0));
    }

    /** This host: collected into a temporary folder (as `leakdx capture` would bundle it), diagnosed, deleted. */
    private int live() throws Exception {
        Path tmp = dev.leakdx.capture.TempDirs.create("live");
        try (Capture cleanup = new Capture("live", List.of(), dev.leakdx.capture.Manifest.EMPTY, tmp)) {
            String host = new dev.leakdx.capture.LiveCollector(s -> { }).collect(tmp.resolve("live"), false).host().getOrDefault("kernel_release", "");
            dev.leakdx.engine.StageClock.mark("live host collected");
            return diagnose(tmp.resolve("live"), "this host (live" + (host.isEmpty() ? "" : ", " + host) + ")");
        }
    }

    private int diagnose(Path capture) throws Exception {
        return diagnose(capture, null);
    }

    private int diagnose(Path capture, String displayName) throws Exception {
        if (!Files.exists(capture)) throw new IllegalArgumentException(capture + ": no such file or folder");
        if (explainRule != null) {
            write(ExplainRule.run(capture, explainRule, knowledge), output);
            return 0;
        }
        dev.leakdx.engine.StageClock.mark("command line parsed");
        Diagnoser d = knowledge.diagnoser();
        Report report;
        try (Capture c = CaptureOpener.open(capture)) {
            if (c.files().isEmpty()) throw new IllegalArgumentException(capture + ": the capture holds no files");
            Capture named = displayName == null ? c : new Capture(displayName, c.files(), c.manifest(), null, c.missing(), c.notes());
            Diagnoser.Result result = d.diagnose(named);
            report = new Explainer(result, "leakdx " + Main.VERSION).explain();
            if (redact) report = Redaction.of(result.facts()).apply(report);
        }
        write(render(report), output);
        dev.leakdx.engine.StageClock.mark("report written");
        return report.exitCode();
    }

    private String render(Report report) {
        return switch (format) {
            case "json" -> JsonReport.render(report);
            case "md", "markdown" -> MarkdownReport.render(report);
            case "html" -> HtmlReport.render(report);
            default -> TextReport.render(report, explain);
        };
    }

    private int batch() throws Exception {
        List<Path> all = BatchRun.captures(captures, batch);
        Diagnoser d = knowledge.diagnoser();
        String ext = switch (format) { case "json" -> "json"; case "md", "markdown" -> "md"; case "html" -> "html"; default -> "txt"; };
        boolean json = format.equals("json"), md = format.equals("md") || format.equals("markdown");
        try (PrintStream out = output == null ? new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8)
                : new PrintStream(Files.newOutputStream(output), false, StandardCharsets.UTF_8)) {
            if (md) out.println("| exit | capture | top verdict | severity | confidence | bytes | also |\n|---:|---|---|---|---:|---:|---|");
            else if (!json) out.println(BatchRun.TABLE_HEADER);
            int[] counts = new int[3];
            java.util.Set<String> written = new java.util.HashSet<>();
            int worst = BatchRun.run(d, all, jobs == null ? Runtime.getRuntime().availableProcessors() : jobs, redact, o -> {
                out.println(json ? BatchRun.jsonLine(o) : md ? BatchRun.markdownLine(o) : BatchRun.tableLine(o));
                out.flush();
                counts[o.exitCode()]++;
                if (outputDir != null) BatchRun.writeFull(o, outputDir, ext, this::render, System.err, written);
            });
            System.err.printf(java.util.Locale.ROOT, "leakdx: %d captures: %d without a warning, %d with a warning or critical verdict, %d unusable%n",
                    all.size(), counts[0], counts[1], counts[2]);
            return worst;
        }
    }

    /** Why a report path cannot be written, in words: a folder on the way that is a file, or the file system's reason. */
    static String whyNot(Path output, IOException e) {
        for (Path p = output.getParent(); p != null; p = p.getParent())
            if (Files.exists(p) && !Files.isDirectory(p)) return p + " is a file, not a folder";
        return dev.leakdx.capture.Failure.describe(e);
    }

    static void write(String text, Path output) throws IOException {
        if (output == null) {
            System.out.print(text);
            System.out.flush();
        } else {
            try {
                if (output.getParent() != null) Files.createDirectories(output.getParent());
                Files.writeString(output, text);
            } catch (IOException e) {
                throw new IOException(output + ": cannot write the report: " + whyNot(output, e), e);
            }
        }
    }
}
