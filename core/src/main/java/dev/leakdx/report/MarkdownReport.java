package dev.leakdx.report;

import dev.leakdx.explain.Report;
import dev.leakdx.facts.Units;

import java.util.Locale;

/**
 * Markdown for incident reports: the answer first, the verdicts with their evidence and the
 * commands to run next, then the host, budget and input. Every value that comes from a capture
 * (case.yaml values, file names, cited lines) is escaped: HTML characters as entities,
 * Markdown punctuation with a backslash, and code spans fenced with more backticks than they
 * hold, so a capture can neither inject HTML nor break out of a code span or a table.
 */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(Report r) {
        StringBuilder b = new StringBuilder();
        b.append("# Memory diagnosis: ").append(esc(r.capture())).append("\n\n");
        b.append("**").append(esc(Answer.line(r))).append("**\n\n");
        if (Answer.whenWhere(r) != null) b.append(esc(Answer.whenWhere(r))).append("\n\n");
        b.append("_").append(esc(r.tool())).append(", report schema ").append(esc(r.schema())).append("_\n\n");
        if (r.exitCode() == 2) b.append("See the input files below and `leakdx formats`.\n\n");
        if (!r.verdicts().isEmpty()) {
            b.append("| # | severity | verdict | memory | confidence |\n|---|---|---|---|---|\n");
            int i = 1;
            for (Report.Verdict v : r.verdicts())
                b.append(String.format(Locale.ROOT, "| %d | %s | %s %s | %s | %.2f |%n", i++, esc(v.severity()), code(v.code(), true), esc(v.title()),
                        v.bytes() > 0 ? Units.bytes(v.bytes()) : "", v.confidence()));
            b.append('\n').append("_").append(esc(Answer.LEGEND)).append("_\n");
        }
        int i = 1;
        for (Report.Verdict v : r.verdicts()) {
            b.append("\n## ").append(i++).append(". ").append(code(v.code(), false)).append(": ").append(esc(v.title())).append("\n\n");
            b.append(String.format(Locale.ROOT, "**Severity** %s, **confidence** %.2f, **memory** %s%s%n%n", esc(v.severity()), v.confidence(),
                    Units.bytes(Math.max(0, v.bytes())), v.pages() >= 0 ? " (" + Units.count(v.pages()) + " pages)" : ""));
            b.append(esc(v.summary())).append("\n\n");
            if (!v.basis().isEmpty()) {
                b.append("**Read from**\n\n");
                for (Report.Cite c : v.basis()) b.append("- ").append(code(c.cite(), false)).append(": ").append(esc(c.fact())).append('\n');
                b.append('\n');
            }
            items(b, "Evidence", v.evidence());
            items(b, "Against", v.against());
            if (!v.next().isEmpty()) {
                b.append("**Capture next** (each command pastes as it is)\n\n");
                for (Report.Next n : v.next()) {
                    b.append("- ").append(n.where().equals("crash") ? "in crash: " : "in a shell: ").append(esc(n.why()));
                    if (!n.placeholders().isEmpty()) b.append(" (fill in ").append(esc(String.join(", ", n.placeholders()))).append(")");
                    b.append("\n\n").append(fence(n.command(), n.where().equals("crash") ? "" : "sh", "  ")).append('\n');
                }
            }
            b.append("<details><summary>Explanation tree</summary>\n\n");
            tree(b, Answer.readable(v.explanation()), 0);
            b.append("\n</details>\n");
        }
        if (!r.considered().isEmpty()) {
            b.append("\n## Considered and set aside\n\n");
            for (Report.Verdict v : r.considered()) {
                b.append(String.format(Locale.ROOT, "### %s (confidence %.2f)%s%n%n", code(v.code(), false), v.confidence(),
                        v.outrankedBy().isEmpty() ? "" : ", outranked by " + code(v.outrankedBy(), false)));
                b.append(esc(v.summary())).append("\n\n");
                items(b, "Against", v.against());
                items(b, "For", v.evidence());
                b.append("<details><summary>Explanation tree</summary>\n\n");
                tree(b, Answer.readable(v.explanation()), 0);
                b.append("\n</details>\n");
            }
        }
        b.append("\n## Host\n\n| property | value | how it is known | source |\n|---|---|---|---|\n");
        r.host().forEach((k, v) -> b.append("| ").append(esc(k)).append(" | ").append(esc(TextReport.show(k, v.value()))).append(" | ")
                .append(esc(v.how())).append(" | ").append(code(v.cite(), true)).append(" |\n"));
        String basis = null;
        for (Report.BudgetLine l : r.budget()) {
            if (!l.basis().equals(basis)) {
                basis = l.basis();
                b.append("\n## Memory budget (").append(esc(basis)).append(")\n\n| line | memory | share | kind | source |\n|---|---:|---:|---|---|\n");
            }
            b.append("| ").append(esc(l.label())).append(" | ").append(Units.bytes(l.bytes())).append(" | ").append(Units.pct(l.share()))
                    .append(" | ").append(esc(l.kind())).append(" | ").append(code(l.cite(), true)).append(" |\n");
        }
        var d = r.diagnostics();
        b.append("\n## Input\n\n").append(esc(Answer.counts(d).sentence(r.exitCode()))).append(".\n\n");
        b.append("| file | format | lines | not understood |\n|---|---|---:|---:|\n");
        for (Report.FileView f : d.files())
            b.append("| ").append(code(f.file(), true)).append(" | ").append(f.format().equals("unknown") ? "no known format" : esc(f.format()))
                    .append(" | ").append(f.lines()).append(" | ").append(f.format().equals("unknown") ? "(not read)" : String.valueOf(f.skipped())).append(" |\n");
        boolean header = false;
        for (String m : d.messages()) {
            if (Answer.repeatsFileRow(m, d)) continue;
            if (!header) { b.append('\n'); header = true; }
            b.append("- ").append(esc(m)).append('\n');
        }
        if (!d.missing().isEmpty()) {
            b.append("\n### Missing inputs\n\n| input | what it would add |\n|---|---|\n");
            for (Report.Missing m : d.missing()) b.append("| ").append(esc(m.input())).append(" | ").append(esc(m.hint())).append(" |\n");
        }
        if (!d.unknownSections().isEmpty()) {
            b.append("\nSections no extractor reads: ");
            int n = 0;
            for (Report.Section s : d.unknownSections()) {
                if (n++ == 20) { b.append("... "); break; }
                b.append(code(s.command().isEmpty() ? s.cite() : s.command(), false)).append(" (").append(esc(s.cite())).append("); ");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static void items(StringBuilder b, String title, java.util.List<Report.EvidenceItem> items) {
        if (items.isEmpty()) return;
        b.append("**").append(title).append("**\n\n");
        for (Report.EvidenceItem e : items) {
            b.append(String.format(Locale.ROOT, "- %s _(weight %.1f, rule \"%s\")_%n", esc(e.text()), e.weight(), esc(e.rule())));
            for (Report.Cite c : e.cites()) b.append("  - ").append(code(c.cite(), false)).append(": ").append(esc(c.fact())).append('\n');
        }
        b.append('\n');
    }

    private static void tree(StringBuilder b, Report.Node n, int depth) {
        if (n == null) return;
        b.append("  ".repeat(depth)).append("- ").append(esc(n.text()));
        if (!n.rule().isEmpty()) b.append(" ⇐ rule _").append(esc(n.rule())).append("_");
        if (!n.cite().isEmpty()) b.append(" ").append(code(n.cite(), false));
        b.append('\n');
        for (Report.Node c : n.children()) tree(b, c, depth + 1);
    }

    /** Text outside code: HTML characters as entities, Markdown punctuation escaped, one line. */
    public static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\n', '\r', '\t' -> b.append(' ');
                case '\\', '`', '*', '_', '[', ']', '|', '#', '!', '~' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * A code span holding {@code s} as it is: fenced with one backtick more than the longest run
     * inside it, padded when it starts or ends with one; in a table cell, {@code |} is escaped,
     * which GitHub's table parser removes again before the span is read.
     */
    public static String code(String s, boolean inTable) {
        if (s == null || s.isEmpty()) return "";
        s = s.replace('\n', ' ').replace('\r', ' ');
        if (inTable) s = s.replace("|", "\\|");
        int longest = 0, run = 0;
        for (char c : s.toCharArray()) { run = c == '`' ? run + 1 : 0; longest = Math.max(longest, run); }
        String fence = "`".repeat(longest + 1);
        String pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
        return fence + pad + s + pad + fence;
    }

    /** A fenced code block, indented under a list item, fenced longer than any backtick run inside. */
    static String fence(String s, String lang, String indent) {
        int longest = 0, run = 0;
        for (char c : s.toCharArray()) { run = c == '`' ? run + 1 : 0; longest = Math.max(longest, run); }
        String f = "`".repeat(Math.max(3, longest + 1));
        StringBuilder b = new StringBuilder(indent).append(f).append(lang).append('\n');
        for (String line : s.split("\n")) b.append(indent).append(line).append('\n');
        return b.append(indent).append(f).append('\n').toString();
    }
}
