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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "diagnose", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Diagnoses one capture: a folder, a .tar/.tar.gz/.zip bundle, or a single file (plain, .gz or .xz).",
                "Exit code 0: no warning or critical verdict; 1: at least one; 2: input or arguments unusable."})
final class DiagnoseCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CAPTURE", description = "The capture to diagnose.")
    Path capture;

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

    @Option(names = "--redact", description = "Replace host names, process names, home-folder user names and kernel addresses by stable placeholders (host-1, proc-1, user-1, addr-1) in every format.")
    boolean redact;

    @Mixin KnowledgeOptions knowledge;

    @Override public Integer call() throws Exception {
        if (!format.matches("text|md|markdown|json|html"))
            throw new IllegalArgumentException("unknown format '" + format + "': use text, md, json or html");
        if (!Files.exists(capture)) throw new IllegalArgumentException(capture + ": no such file or folder");
        if (explainRule != null) {
            write(ExplainRule.run(capture, explainRule, knowledge), output);
            return 0;
        }
        Diagnoser d = knowledge.diagnoser();
        Report report;
        try (Capture c = CaptureOpener.open(capture)) {
            if (c.files().isEmpty()) throw new IllegalArgumentException(capture + ": the capture holds no files");
            Diagnoser.Result result = d.diagnose(c);
            report = new Explainer(result, "leakdx " + Main.VERSION).explain();
            if (redact) report = Redaction.of(result.facts()).apply(report);
        }
        String text = switch (format) {
            case "json" -> JsonReport.render(report);
            case "md", "markdown" -> MarkdownReport.render(report);
            case "html" -> HtmlReport.render(report);
            default -> TextReport.render(report, explain);
        };
        write(text, output);
        return report.exitCode();
    }

    static void write(String text, Path output) throws IOException {
        if (output == null) {
            System.out.print(text);
            System.out.flush();
        } else {
            if (output.getParent() != null) Files.createDirectories(output.getParent());
            Files.writeString(output, text);
        }
    }
}
