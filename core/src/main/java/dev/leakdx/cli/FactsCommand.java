package dev.leakdx.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.extract.ExtractorRegistry;
import dev.leakdx.extract.Sink;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.Units;
import dev.leakdx.report.JsonReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * The facts the rules would see for a capture, each with its file:line: what an author checks
 * before writing a rule ("is my counter read, and under what name?"), and extraction alone for the
 * benchmark: the path of a diagnose up to the rules. No rule runs, so no knowledge base is built.
 */
@Command(name = "facts", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Prints the facts extracted from a capture (what the rules match on), each with the line it was read from.",
                "Host facts are settled and processes merged as for a diagnose; no rule runs."})
final class FactsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CAPTURE", description = "A folder, a .tar/.tar.gz/.zip bundle, or a single file (plain, .gz or .xz).")
    Path capture;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", split = ",", completionCandidates = Completion.FactTypes.class,
            description = "Only facts of these types, comma-separated, named as the rules name them: ${COMPLETION-CANDIDATES}.")
    Set<String> types;

    @Option(names = "--summary", description = "Only the number of facts of each type and the lines read and not understood per file.")
    boolean summary;

    @Option(names = {"-f", "--format"}, defaultValue = "text", paramLabel = "FORMAT", completionCandidates = Completion.FactFormats.class,
            description = "The output format: text (the default) or json (one JSON object per fact: its type, citation, text and the record's fields).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Option(names = "--extractors", paramLabel = "DIR", description = "Read extractor specs from DIR instead of the packed facts-extractors/.")
    Path extractors;

    @Override public Integer call() throws Exception {
        if (!format.matches("text|json")) throw new IllegalArgumentException("unknown format '" + format + "': use text or json");
        if (!Files.exists(capture)) throw new IllegalArgumentException(capture + ": no such file or folder");
        if (types != null) for (String t : types) {
            if (Completion.FACT_TYPES.contains(t)) continue;
            String near = Completion.nearest(t, Completion.FACT_TYPES);
            throw new IllegalArgumentException("no fact type is called '" + t + "'" + (near == null ? "" : " (did you mean " + near + "?)")
                    + "; the fact types are: " + String.join(", ", Completion.FACT_TYPES));
        }
        long t0 = System.nanoTime();
        ExtractorRegistry registry = ExtractorRegistry.load(extractors);
        Sink sink;
        List<Fact> facts;
        try (Capture c = CaptureOpener.open(capture)) {
            if (c.files().isEmpty()) throw new IllegalArgumentException(capture + ": the capture holds no files");
            // the same path a diagnose takes up to the rules (host settled, processes merged, trends summed); no knowledge base
            Diagnoser.Extraction e = new Diagnoser((dev.leakdx.engine.KnowledgeBase) null, registry).extract(c);
            sink = e.sink();
            facts = e.facts();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        PrintStream out = Output.isStdout(output) ? new PrintStream(Output.stdout(), false, StandardCharsets.UTF_8)
                : new PrintStream(Output.open(output), false, StandardCharsets.UTF_8);
        boolean json = format.equals("json");
        if (summary) {
            Map<String, long[]> byType = new TreeMap<>();
            for (Fact f : facts) byType.computeIfAbsent(f.getClass().getSimpleName(), k -> new long[1])[0]++;
            long lines = 0, skipped = 0;
            for (Sink.FileStats s : sink.fileStats().values()) {
                lines += s.lines;
                skipped += s.skipped;
            }
            if (json) {
                ObjectNode n = JsonReport.mapper().createObjectNode();
                byType.forEach((k, v) -> n.with("facts").put(k, v[0]));
                n.put("lines", lines).put("skipped", skipped).put("seconds", Math.round(secs * 1000) / 1000.0);
                sink.fileStats().forEach((file, s) -> n.with("files").putObject(file).put("format", s.format)
                        .put("lines", s.lines).put("skipped", s.skipped));
                out.println(n);
            } else {
                byType.forEach((k, v) -> out.printf(Locale.ROOT, "%10s  %s%n", Units.count(v[0]), k));
                out.printf(Locale.ROOT, "%10s  facts%n", Units.count(facts.size()));
                sink.fileStats().forEach((file, s) -> out.printf(Locale.ROOT, "  %s (%s): %s lines, %s not understood%n",
                        file, s.format.isEmpty() ? "not recognised" : s.format, Units.count(s.lines), Units.count(s.skipped)));
                out.printf(Locale.ROOT, "  extracted in %.3f s%n", secs);
            }
        } else {
            for (Fact f : facts) {
                String type = f.getClass().getSimpleName();
                if (types != null && !types.contains(type)) continue;
                if (json) {
                    ObjectNode n = JsonReport.mapper().createObjectNode();
                    n.put("type", type).put("cite", f.provenance().cite()).put("text", f.describe());
                    n.set("fields", JsonReport.mapper().valueToTree(f));
                    out.println(n);
                } else {
                    out.printf(Locale.ROOT, "%-28s %-16s %s%n", f.provenance().cite(), type, f.describe());
                }
            }
        }
        sink.diagnostics().forEach(d -> System.err.println("leakdx: " + d));
        if (Output.isStdout(output)) out.flush(); else out.close();
        return 0;
    }
}
