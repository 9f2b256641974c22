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
        description = {"Diagnoses a capture and prints ranked, explained verdicts.",
                "A capture is a folder, a .tar, .tar.gz, .tar.xz or .zip bundle, or a single file (plain, .gz or .xz). A sosreport or "
                        + "insights archive (folder or tarball) is read for the files leakdx understands, and the missing ones are listed.",
                "With no CAPTURE, leakdx diagnoses this host live: it reads from /proc what `leakdx capture` would bundle (run it as root "
                        + "for slabinfo and kpageflags).",
                "Several CAPTUREs (or --batch) are diagnosed in one process, giving a summary table (text, md) or one JSON report per line (json).",
                "Exit code 0: no warning or critical verdict; 1: at least one; 2: input or arguments unusable (in a batch: any capture)."})
final class DiagnoseCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "CAPTURE", description = "The captures to diagnose; with none, this host is diagnosed live.")
    List<Path> captures = new java.util.ArrayList<>();

    @Option(names = "--batch", description = "Treat each CAPTURE folder as a folder of captures: each sub-folder or archive in it is one capture.")
    boolean batch;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "In a batch, also write each capture's full report (in --format) to DIR/NAME.EXT.")
    Path outputDir;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "In a batch, diagnose N captures at once (by default, as many as there are cores).")
    Integer jobs;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", completionCandidates = Completion.Formats.class,
            description = "The report's format: text, md, json or html (one self-contained page with a chart of the memory budget). "
                    + "Without it, the extension of -o decides: md for .md, json for .json, html for .html, and text otherwise.")
    String formatAsked;
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of standard output; - is standard output.")
    Path output;

    @Option(names = "--width", paramLabel = "COLUMNS",
            description = "Text format: wrap lines at COLUMNS. By default a terminal's width, and 80 columns when the output is a pipe or a file.")
    Integer width;

    @Option(names = "--explain", description = "In the text format, also print each verdict's explanation tree (Markdown and HTML always have it).")
    boolean explain;

    @Option(names = "--explain-rule", paramLabel = "CODE_OR_NAME", completionCandidates = Completion.RuleCodes.class,
            description = "Instead of the report, say why that rule did not fire on this capture (the first pattern and constraint no fact matched, and the closest facts), or what it concluded. The codes are listed by `leakdx rules list`.")
    String explainRule;

    @Option(names = "--redact", description = "Replace host names, process names, home-folder user names and kernel addresses by stable placeholders (host-1, proc-1, user-1, addr-1) in every format, and in batch mode in each report and summary line.")
    boolean redact;

    @Mixin KnowledgeOptions knowledge;

    @Override public Integer call() throws Exception {
        format = Output.format(formatAsked, output);
        if (width != null && width < 40) throw new IllegalArgumentException("--width " + width + ": the text report needs at least 40 columns");
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
            if (redact) report = Redaction.of(result.facts()).withCapture(displayName == null ? capture : null).apply(report);
        }
        write(render(report, Output.isStdout(output)), output);
        dev.leakdx.engine.StageClock.mark("report written");
        return report.exitCode();
    }

    /** The report in --format; text laid out for the terminal when {@code toStdout}, else at --width or 80 columns without colour. */
    private String render(Report report, boolean toStdout) {
        return switch (format) {
            case "json" -> JsonReport.render(report);
            case "md" -> MarkdownReport.render(report);
            case "html" -> HtmlReport.render(report);
            default -> TextReport.render(report, explain, toStdout ? dev.leakdx.report.Terminal.forStdout(width)
                    : new dev.leakdx.report.Terminal(width == null ? dev.leakdx.report.Terminal.PIPED_WIDTH : width, false));
        };
    }

    private int batch() throws Exception {
        List<Path> all = BatchRun.captures(captures, batch);
        Diagnoser d = knowledge.diagnoser();
        String ext = switch (format) { case "json" -> "json"; case "md", "markdown" -> "md"; case "html" -> "html"; default -> "txt"; };
        boolean json = format.equals("json"), md = format.equals("md") || format.equals("markdown");
        try (PrintStream out = Output.isStdout(output) ? new PrintStream(Output.stdout(), false, StandardCharsets.UTF_8)
                : new PrintStream(Output.open(output), false, StandardCharsets.UTF_8)) {
            if (md) out.println("| exit | capture | top verdict | severity | confidence | bytes | also |\n|---:|---|---|---|---:|---:|---|");
            else if (!json) out.println(BatchRun.TABLE_HEADER);
            int[] counts = new int[3], seq = new int[1];
            java.util.Set<String> written = new java.util.HashSet<>();
            int worst = BatchRun.run(d, all, jobs == null ? Runtime.getRuntime().availableProcessors() : jobs, redact, o -> {
                out.println(json ? BatchRun.jsonLine(o) : md ? BatchRun.markdownLine(o) : BatchRun.tableLine(o));
                out.flush();
                counts[o.exitCode()]++;
                seq[0]++;
                if (outputDir != null)
                    BatchRun.writeFull(o, outputDir, ext, r -> render(r, false), System.err, written, redact ? "capture-" + seq[0] : null);
            });
            System.err.printf(java.util.Locale.ROOT, "leakdx: %d captures: %d without a warning, %d with a warning or critical verdict, %d unusable%n",
                    all.size(), counts[0], counts[1], counts[2]);
            return worst;
        }
    }

    static void write(String text, Path output) throws IOException {
        Output.write(text, output);
    }
}
