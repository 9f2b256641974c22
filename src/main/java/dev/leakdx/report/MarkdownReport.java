package dev.leakdx.report;

import dev.leakdx.explain.Report;
import dev.leakdx.facts.Units;

import java.util.Locale;

/** Markdown for incident reports: the same content as the terminal, with tables and the full explanation tree. */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(Report r) {
        StringBuilder b = new StringBuilder();
        b.append("# Memory diagnosis: ").append(esc(r.capture())).append("\n\n");
        b.append("_").append(r.tool()).append(", report schema ").append(r.schema()).append("_\n\n");
        if (r.exitCode() == 2) b.append("**Nothing in this capture could be read: no line of any file gave a value leakdx can use (see the input files and diagnostics below, and `leakdx formats`).**\n\n");
        else if (r.verdicts().isEmpty()) b.append("**No leak found in what was captured.**\n\n");
        else {
            b.append("| # | severity | verdict | memory | confidence |\n|---|---|---|---|---|\n");
            int i = 1;
            for (Report.Verdict v : r.verdicts())
                b.append(String.format(Locale.ROOT, "| %d | %s | `%s` %s | %s | %.2f |%n", i++, v.severity(), v.code(), esc(v.title()),
                        v.bytes() > 0 ? Units.bytes(v.bytes()) : "", v.confidence()));
            b.append('\n');
        }
        b.append("## Host\n\n| property | value | how it is known | source |\n|---|---|---|---|\n");
        r.host().forEach((k, v) -> b.append("| ").append(k).append(" | ").append(TextReport.show(k, v.value())).append(" | ")
                .append(esc(v.how())).append(" | `").append(v.cite()).append("` |\n"));
        String basis = null;
        for (Report.BudgetLine l : r.budget()) {
            if (!l.basis().equals(basis)) {
                basis = l.basis();
                b.append("\n## Memory budget (").append(basis).append(")\n\n| line | memory | share | kind | source |\n|---|---:|---:|---|---|\n");
            }
            b.append("| ").append(esc(l.label())).append(" | ").append(Units.bytes(l.bytes())).append(" | ").append(Units.pct(l.share()))
                    .append(" | ").append(l.kind()).append(" | `").append(l.cite()).append("` |\n");
        }
        int i = 1;
        for (Report.Verdict v : r.verdicts()) {
            b.append("\n## ").append(i++).append(". `").append(v.code()).append("`: ").append(esc(v.title())).append("\n\n");
            b.append(String.format(Locale.ROOT, "**Severity** %s, **confidence** %.2f, **memory** %s (%s pages)%n%n", v.severity(), v.confidence(),
                    Units.bytes(Math.max(0, v.bytes())), Units.count(Math.max(0, v.pages()))));
            b.append(esc(v.summary())).append("\n\n");
            if (!v.basis().isEmpty()) {
                b.append("**Read from**\n\n");
                for (Report.Cite c : v.basis()) b.append("- `").append(c.cite()).append("`: ").append(esc(c.fact())).append('\n');
                b.append('\n');
            }
            items(b, "Evidence", v.evidence());
            items(b, "Against", v.against());
            if (!v.next().isEmpty()) {
                b.append("**Capture next**\n\n");
                for (Report.Next n : v.next()) b.append("- `").append(n.command()).append("`: ").append(esc(n.why())).append('\n');
                b.append('\n');
            }
            b.append("<details><summary>Explanation tree</summary>\n\n");
            tree(b, v.explanation(), 0);
            b.append("\n</details>\n");
        }
        if (!r.considered().isEmpty()) {
            b.append("\n## Considered and set aside\n\n");
            for (Report.Verdict v : r.considered()) {
                b.append(String.format(Locale.ROOT, "### `%s` (confidence %.2f)%s%n%n", v.code(), v.confidence(),
                        v.outrankedBy().isEmpty() ? "" : ", outranked by `" + v.outrankedBy() + "`"));
                b.append(esc(v.summary())).append("\n\n");
                items(b, "Against", v.against());
                items(b, "For", v.evidence());
                b.append("<details><summary>Explanation tree</summary>\n\n");
                tree(b, v.explanation(), 0);
                b.append("\n</details>\n");
            }
        }
        var d = r.diagnostics();
        b.append("\n## Input\n\n| file | format | lines | not understood |\n|---|---|---:|---:|\n");
        for (Report.FileView f : d.files())
            b.append("| `").append(f.file()).append("` | ").append(f.format()).append(" | ").append(f.lines()).append(" | ").append(f.skipped()).append(" |\n");
        if (!d.messages().isEmpty()) {
            b.append("\n");
            for (String m : d.messages()) b.append("- `").append(m.replace("`", "'")).append("`\n");
        }
        if (!d.missing().isEmpty()) {
            b.append("\n### Missing inputs\n\n| input | what it would add |\n|---|---|\n");
            for (Report.Missing m : d.missing())
                b.append("| ").append(m.input().replace("|", "\\|")).append(" | ").append(m.hint().replace("|", "\\|")).append(" |\n");
        }
        if (!d.unknownSections().isEmpty()) {
            b.append("\nSections no extractor reads: ");
            int n = 0;
            for (Report.Section s : d.unknownSections()) {
                if (n++ == 20) { b.append("... "); break; }
                b.append("`").append(s.command().isEmpty() ? s.cite() : s.command()).append("` (").append(s.cite()).append("); ");
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
            for (Report.Cite c : e.cites()) b.append("  - `").append(c.cite()).append("`: ").append(esc(c.fact())).append('\n');
        }
        b.append('\n');
    }

    private static void tree(StringBuilder b, Report.Node n, int depth) {
        b.append("  ".repeat(depth)).append("- ").append(esc(n.text()));
        if (!n.rule().isEmpty()) b.append(" ⇐ rule _").append(esc(n.rule())).append("_");
        if (!n.cite().isEmpty()) b.append(" `").append(n.cite()).append("`");
        b.append('\n');
        for (Report.Node c : n.children()) tree(b, c, depth + 1);
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("<", "&lt;").replace("\n", " ");
    }
}
