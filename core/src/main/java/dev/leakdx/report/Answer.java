package dev.leakdx.report;

import dev.leakdx.explain.Report;
import dev.leakdx.facts.Units;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What every human-readable report says first: the answer in one line ("2 findings: CRITICAL
 * NIC_RX_RING_PAGES 40.4 GiB (0.98), WARNING HUGETLB_RESERVED_IDLE 467 GiB (0.90)"), and the
 * shared wording of the parts that text and Markdown both print (the legend of confidence and
 * weights, the explanation tree without repeats or rule variables, the input counts).
 */
public final class Answer {
    private Answer() {}

    public static final String NOTHING_READ = "Nothing in this capture could be read: no line gave a value leakdx can use.";
    public static final String NO_LEAK = "No leak found in what was captured.";

    /** Said once per report, where confidences and weights are first shown. */
    public static final String LEGEND = "Confidence is the chance, from 0 to 1, that a verdict is right given the evidence shown: "
            + "each rule's prior plus the weight of every observation for it, minus the weight of every one against it, "
            + "put through the logistic function. A weight of 1.0 multiplies the verdict's odds by e (2.7); 3.0 by twenty.";

    /**
     * When and where a capture was taken, from the host facts a leakdx capture bundle states
     * ({@code captured}, {@code hostname}, {@code kernel_release}): "Captured 2026-12-05 12:35:11 UTC
     * on node-7, kernel 6.1.0-56-amd64". Null when the capture does not say when it was taken.
     * Under --redact the host name is already a placeholder (the report model is redacted).
     */
    public static String whenWhere(Report r) {
        Report.HostValue when = r.host().get("captured");
        if (when == null || when.value().isBlank()) return null;
        String t = when.value().strip().replace('T', ' ');
        if (t.endsWith("Z")) t = t.substring(0, t.length() - 1) + " UTC";
        Report.HostValue host = r.host().get("hostname"), kernel = r.host().get("kernel_release");
        return "Captured " + t + " on " + (host == null || host.value().isBlank() ? "an unnamed host" : host.value())
                + (kernel == null || kernel.value().isBlank() ? "" : ", kernel " + kernel.value());
    }

    public static String line(Report r) {
        if (r.exitCode() == 2) return NOTHING_READ;
        if (r.verdicts().isEmpty()) return NO_LEAK;
        List<String> parts = new ArrayList<>();
        for (Report.Verdict v : r.verdicts()) parts.add(part(v, v.severity().toUpperCase(Locale.ROOT)));
        int n = r.verdicts().size();
        return n + (n == 1 ? " finding: " : " findings: ") + String.join(", ", parts);
    }

    static String part(Report.Verdict v, String severityWord) {
        return severityWord + " " + v.code() + (v.bytes() > 0 ? " " + Units.bytes(v.bytes()) : "")
                + String.format(Locale.ROOT, " (%.2f)", v.confidence());
    }

    /**
     * The explanation tree as a reader wants it: the values a rule bound to its own variables
     * ({@code $pages = 32,768}) left out, since the facts and conclusions around them say the
     * same in words, and a sub-tree already shown replaced by its first line and "(shown above)".
     */
    public static Report.Node readable(Report.Node root) {
        return root == null ? null : prune(root, new LinkedHashSet<>());
    }

    private static Report.Node prune(Report.Node n, Set<String> shown) {
        List<Report.Node> kids = new ArrayList<>();
        for (Report.Node c : n.children()) {
            if (c.kind().equals("value") && c.text().startsWith("$")) continue;
            String key = c.kind() + "|" + c.text() + "|" + c.rule() + "|" + c.cite();
            if (!c.children().isEmpty() && !shown.add(key)) {
                kids.add(new Report.Node(c.kind(), c.text() + " (shown above)", c.rule(), c.doc(), c.cite(), List.of()));
                continue;
            }
            kids.add(prune(c, shown));
        }
        return new Report.Node(n.kind(), n.text(), n.rule(), n.doc(), n.cite(), kids);
    }

    /** The input files as counted for the reader: read ones and those in no known format kept apart. */
    public record InputCounts(int files, int recognised, long linesRead, long notUnderstood, int unknownFiles, long unknownLines) {
        public String sentence(int exitCode) {
            if (recognised == 0)
                return String.format(Locale.ROOT, "%d %s, none in a format leakdx knows (%s lines not read; see leakdx formats)",
                        files, files == 1 ? "file" : "files", Units.count(unknownLines));
            String s = String.format(Locale.ROOT, "%d %s: %d read (%s lines, %s not understood)", files, files == 1 ? "file" : "files",
                    recognised, Units.count(linesRead), Units.count(notUnderstood));
            if (unknownFiles > 0)
                s += String.format(Locale.ROOT, ", %d in no format leakdx knows (%s lines not read)", unknownFiles, Units.count(unknownLines));
            return s;
        }
    }

    public static InputCounts counts(Report.Diagnostics d) {
        int rec = 0, unk = 0;
        long lines = 0, skipped = 0, unkLines = 0;
        for (Report.FileView f : d.files()) {
            if (f.format().equals("unknown")) { unk++; unkLines += f.lines(); }
            else { rec++; lines += f.lines(); skipped += f.skipped(); }
        }
        return new InputCounts(d.files().size(), rec, lines, skipped, unk, unkLines);
    }

    /** A diagnostic that only repeats what the file's row says (format not recognised) is not printed twice. */
    static boolean repeatsFileRow(String message, Report.Diagnostics d) {
        for (Report.FileView f : d.files())
            if (f.format().equals("unknown") && message.contains("format not recognised")
                    && (message.startsWith(f.file() + ": ") || message.matches(java.util.regex.Pattern.quote(f.file()) + ":\\d+: (?s).*"))) return true;
        return false;
    }
}
