package dev.leakdx.explain;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.List;
import java.util.Map;

/**
 * The diagnosis as every output format sees it, and the JSON schema (knowledge-base-docs/
 * json-schema.md documents it; {@code schema} is bumped on any incompatible change).
 */
public record Report(String schema, String tool, String capture, Map<String, HostValue> host, List<BudgetLine> budget,
                     List<Verdict> verdicts, List<Verdict> considered, List<FindingView> findings, Diagnostics diagnostics,
                     int exitCode) {

    public static final String SCHEMA = "leakdx.report/2";

    public record HostValue(@JsonSerialize(using = JsonShapes.NumberIfWhole.class) String value, String how, String cite) {}

    public record BudgetLine(String basis, String key, String label, long bytes, String kind, double share, String cite) {}

    public record Cite(String cite, String file, long line, long lastLine, String fact, String context) {}

    public record EvidenceItem(String text, double weight, String rule, List<Cite> cites) {}

    /**
     * A command to run next: {@code where} is "shell" (bash on the host) or "crash" (the crash
     * utility's prompt); {@code placeholders} are the {@code <VALUES>} in it the reader fills in.
     */
    public record Next(String command, String why, String where, List<String> placeholders) {
        public Next(String command, String why) { this(command, why, "shell", dev.leakdx.engine.NextCapture.placeholders(command)); }
    }

    /** A node of the explanation tree: a conclusion (with the rule that drew it) or an input fact (with its citation). */
    public record Node(String kind, String text, String rule, String doc, String cite, List<Node> children) {}

    /** {@code severity} is "none" for a considered hypothesis: it is not a conclusion. {@code pages} -1 (null in JSON): not counted. */
    public record Verdict(String code, String title, String severity, double confidence, long bytes,
                          @JsonSerialize(using = JsonShapes.UnknownAsNull.class) @JsonDeserialize(using = JsonShapes.NullAsUnknown.class) long pages,
                          String subject, String summary, String rule, List<Cite> basis, List<EvidenceItem> evidence,
                          List<EvidenceItem> against, List<Next> next, String outrankedBy, Node explanation) {}

    public record FindingView(String code, String subject, long bytes, String summary, String rule, List<Cite> cites) {}

    public record FileView(String file, String format, long lines, long skipped, long problems) {}

    public record Section(String cite, String command, long lines) {}

    /** An input the capture lacks and what it would have added (sosreports, live captures that could not read a file). */
    public record Missing(String input, String hint) {}

    public record Diagnostics(List<FileView> files, List<String> messages, List<Section> unknownSections, List<Missing> missing) {
        public Diagnostics(List<FileView> files, List<String> messages, List<Section> unknownSections) {
            this(files, messages, unknownSections, List.of());
        }
    }
}
