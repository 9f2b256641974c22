package dev.leakdx.report;

import dev.leakdx.explain.Report;
import dev.leakdx.facts.Units;

import java.util.Locale;

/** The terminal report: verdicts first, each with its numbers, evidence (cited), and what to capture next. */
public final class TextReport {
    private TextReport() {}

    public static String render(Report r, boolean explain) {
        StringBuilder b = new StringBuilder();
        b.append(r.tool()).append(" - diagnosis of ").append(r.capture()).append("\n\n");
        b.append("Host\n");
        r.host().forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-16s %-14s %s [%s]%n", k, show(k, v.value()), v.how(), v.cite())));
        if (r.host().isEmpty()) b.append("  (nothing known about the host)\n");
        budget(r, b);
        b.append("\nVerdicts\n");
        if (r.exitCode() == 2) b.append("  Nothing in this capture could be read: no line of any file gave a value leakdx can use (see the input files and diagnostics below, and `leakdx formats`).\n");
        else if (r.verdicts().isEmpty()) b.append("  No leak found in what was captured.\n");
        int i = 1;
        for (Report.Verdict v : r.verdicts()) verdict(b, i++, v, explain);
        if (!r.considered().isEmpty()) {
            b.append("\nConsidered and set aside\n");
            for (Report.Verdict v : r.considered()) {
                b.append(String.format(Locale.ROOT, "  - %s (confidence %.2f%s): %s%n", v.code(), v.confidence(),
                        v.outrankedBy().isEmpty() ? "" : ", outranked by " + v.outrankedBy(), v.summary()));
                for (Report.EvidenceItem e : v.against()) evidence(b, "      against", e);
            }
        }
        diagnostics(r, b);
        return b.toString();
    }

    static String show(String key, String value) {
        if ((key.equals("page_size") || key.equals("ram_bytes") || key.equals("struct_page_size")) && value.matches("\\d+"))
            return Units.bytes(Long.parseLong(value));
        return value;
    }

    private static void budget(Report r, StringBuilder b) {
        String basis = null;
        for (Report.BudgetLine l : r.budget()) {
            if (!l.basis().equals(basis)) {
                basis = l.basis();
                b.append("\nMemory budget (").append(basis).append(")\n");
            }
            String marker = switch (l.kind()) { case "gap" -> "!"; case "overlap" -> "~"; case "total" -> "="; default -> " "; };
            String label = l.label().length() > 44 ? l.label().substring(0, 43) + "\u2026" : l.label();
            b.append(String.format(Locale.ROOT, "  %s %-44s %11s %7s  %s%n", marker, label, Units.bytes(l.bytes()),
                    Units.pct(l.share()), l.cite()));
        }
        if (basis != null) b.append("  (= total, ~ already inside another line, ! explained by no counter)\n");
    }

    private static void verdict(StringBuilder b, int i, Report.Verdict v, boolean explain) {
        b.append(String.format(Locale.ROOT, "%n  %d. [%s] %s  %s  confidence %.2f%n", i, v.severity().toUpperCase(Locale.ROOT),
                v.code(), v.bytes() > 0 ? Units.bytes(v.bytes()) : "", v.confidence()));
        b.append("     ").append(v.title()).append('\n');
        wrap(b, v.summary(), "     ");
        if (!v.basis().isEmpty()) {
            b.append("     Read from:\n");
            int n = 0;
            for (Report.Cite c : v.basis()) {
                if (n++ == 4) { b.append("         ... ").append(v.basis().size() - 4).append(" more\n"); break; }
                b.append("         ").append(c.cite()).append("  ").append(c.fact()).append('\n');
            }
        }
        for (Report.EvidenceItem e : v.evidence()) evidence(b, "     +", e);
        for (Report.EvidenceItem e : v.against()) evidence(b, "     -", e);
        if (!v.next().isEmpty()) {
            b.append("     Next captures:\n");
            for (Report.Next n : v.next()) b.append("       ").append(n.command()).append("\n         ").append(n.why()).append('\n');
        }
        if (explain && v.explanation() != null) {
            b.append("     Explanation:\n");
            tree(b, v.explanation(), "       ");
        }
    }

    private static void evidence(StringBuilder b, String prefix, Report.EvidenceItem e) {
        StringBuilder t = new StringBuilder();
        wrap(t, e.text() + String.format(Locale.ROOT, " (weight %.1f)", e.weight()), " ".repeat(prefix.length() + 1));
        b.append(prefix).append(t.substring(prefix.length()));
        int n = 0;
        for (Report.Cite c : e.cites()) {
            if (n++ == 4) { b.append("         ... ").append(e.cites().size() - 4).append(" more\n"); break; }
            b.append("         ").append(c.cite()).append("  ").append(c.fact()).append('\n');
        }
    }

    static void tree(StringBuilder b, Report.Node n, String indent) {
        b.append(indent).append(n.text());
        if (!n.rule().isEmpty()) b.append("   <= rule \"").append(n.rule()).append('"');
        if (!n.cite().isEmpty()) b.append("   [").append(n.cite()).append(']');
        b.append('\n');
        for (Report.Node c : n.children()) tree(b, c, indent + "  ");
    }

    private static void wrap(StringBuilder b, String text, String indent) {
        int col = 0;
        b.append(indent);
        for (String w : text.split(" ")) {
            if (col > 0 && col + w.length() > 92) { b.append('\n').append(indent); col = 0; }
            if (col > 0) { b.append(' '); col++; }
            b.append(w);
            col += w.length();
        }
        b.append('\n');
    }

    private static void diagnostics(Report r, StringBuilder b) {
        var d = r.diagnostics();
        long lines = d.files().stream().mapToLong(Report.FileView::lines).sum();
        long skipped = d.files().stream().mapToLong(Report.FileView::skipped).sum();
        b.append(String.format(Locale.ROOT, "%nInput: %d files, %s lines read, %s not understood%n", d.files().size(),
                Units.count(lines), Units.count(skipped)));
        for (Report.FileView f : d.files())
            if (f.skipped() > 0 || f.format().equals("unknown") || f.problems() > 0)
                b.append(String.format(Locale.ROOT, "  %s: %s, %s lines, %s skipped%n", f.file(), f.format(), Units.count(f.lines()), Units.count(f.skipped())));
        for (String m : d.messages()) b.append("  ").append(m).append('\n');
        if (!d.missing().isEmpty()) {
            b.append("  Missing inputs (what each would add):\n");
            for (Report.Missing m : d.missing()) b.append("    ").append(m.input()).append(": ").append(m.hint()).append('\n');
        }
        if (!d.unknownSections().isEmpty()) {
            b.append("  Sections no extractor reads (listed, not used):\n");
            int n = 0;
            for (Report.Section s : d.unknownSections()) {
                if (n++ == 15) { b.append("    ... ").append(d.unknownSections().size() - 15).append(" more\n"); break; }
                b.append("    ").append(s.cite()).append("  ").append(s.command().isEmpty() ? "(no command)" : "crash> " + s.command())
                        .append(" (").append(s.lines()).append(" lines)\n");
            }
        }
    }
}
