package dev.leakdx.report;

import dev.leakdx.explain.Report;
import dev.leakdx.facts.Units;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The terminal report. The answer first (one line naming every verdict), then the verdicts with
 * their numbers, cited evidence and the commands to run next, then what was set aside, and only
 * then the host, the memory budget and the input files. Every line fits {@link Terminal#width()}
 * except a next-capture command, which is never cut so that it pastes as it is.
 */
public final class TextReport {
    private TextReport() {}

    public static String render(Report r, boolean explain) {
        return render(r, explain, Terminal.PLAIN);
    }

    public static String render(Report r, boolean explain, Terminal t) {
        Out b = new Out(t);
        String answer = Answer.line(r);
        if (t.colour() && !r.verdicts().isEmpty()) {
            // the same line, severities coloured; wrapped on the plain text so colour codes take no width
            for (String line : wrapLines(answer, "", "  ", t.width())) {
                String c = line;
                for (Report.Verdict v : r.verdicts()) {
                    String w = v.severity().toUpperCase(Locale.ROOT);
                    c = c.replace(w + " " + v.code(), t.severity(v.severity()) + " " + v.code());
                }
                b.raw(c);
            }
        } else {
            b.wrap(answer, "", "  ");
        }
        b.wrap(r.capture() + " - " + r.tool(), "", "  ");
        if (Answer.whenWhere(r) != null) b.wrap(Answer.whenWhere(r), "", "  ");
        if (!r.verdicts().isEmpty()) {
            b.blank();
            b.raw(t.heading("Verdicts"));
            b.wrap(Answer.LEGEND, "  ", "  ");
        }
        int i = 1;
        for (Report.Verdict v : r.verdicts()) verdict(b, i++, v, explain);
        if (!r.considered().isEmpty()) {
            b.blank();
            b.raw(t.heading("Considered and set aside"));
            for (Report.Verdict v : r.considered()) {
                b.wrap(String.format(Locale.ROOT, "- %s (confidence %.2f%s): %s", v.code(), v.confidence(),
                        v.outrankedBy().isEmpty() ? "" : ", outranked by " + v.outrankedBy(), v.summary()), "  ", "    ");
                for (Report.EvidenceItem e : v.against()) evidence(b, "    - ", e);
            }
        }
        host(r, b);
        budget(r, b);
        input(r, b);
        return b.toString();
    }

    static String show(String key, String value) {
        if ((key.equals("page_size") || key.equals("ram_bytes") || key.equals("struct_page_size")) && value.matches("\\d+"))
            return Units.bytes(Long.parseLong(value));
        return value;
    }

    private static void host(Report r, Out b) {
        b.blank();
        b.raw(b.t.heading("Host"));
        if (r.host().isEmpty()) b.raw("  (nothing known about the host)");
        int keyW = 1 + r.host().keySet().stream().mapToInt(String::length).max().orElse(0);
        int valW = 1 + Math.min(20, r.host().entrySet().stream().mapToInt(e -> show(e.getKey(), e.getValue().value()).length()).max().orElse(0));
        r.host().forEach((k, v) -> {
            String first = "  " + pad(k, keyW) + pad(show(k, v.value()), valW) + " ";
            String rest = " ".repeat(first.length() <= b.t.width() / 2 ? first.length() : 6);
            b.wrap(v.how() + " [" + v.cite() + "]", first, rest);
        });
    }

    private static void budget(Report r, Out b) {
        String basis = null;
        int citeW = r.budget().stream().mapToInt(l -> l.cite().length()).max().orElse(0);
        // "  = " label " " 11 " " 7 "  " cite: the label takes what the width leaves, at least 20 columns
        int labelW = Math.max(20, Math.min(44, b.t.width() - 4 - 1 - 11 - 1 - 7 - 2 - citeW));
        for (Report.BudgetLine l : r.budget()) {
            if (!l.basis().equals(basis)) {
                basis = l.basis();
                b.blank();
                b.raw(b.t.heading("Memory budget (" + basis + ")"));
            }
            String marker = switch (l.kind()) { case "gap" -> "!"; case "overlap" -> "~"; case "total" -> "="; default -> " "; };
            List<String> label = wrapLines(l.label(), "", "  ", labelW);
            String first = String.format(Locale.ROOT, "  %s %-" + labelW + "s %11s %7s  %s", marker, label.get(0), Units.bytes(l.bytes()),
                    Units.pct(l.share()), l.cite());
            if (first.length() <= b.t.width()) b.raw(first);
            else b.raw(first.substring(0, first.length() - l.cite().length()).stripTrailing()); // too narrow: the source goes below
            for (int k = 1; k < label.size(); k++) b.raw("    " + label.get(k));
            if (first.length() > b.t.width()) b.raw("      " + l.cite());
        }
        if (basis != null) b.wrap("(= total, ~ already inside another line, ! explained by no counter)", "  ", "   ");
    }

    private static void verdict(Out b, int i, Report.Verdict v, boolean explain) {
        b.blank();
        String rest = " " + v.code() + (v.bytes() > 0 ? "  " + Units.bytes(v.bytes()) : "");
        String confidence = String.format(Locale.ROOT, "confidence %.2f", v.confidence());
        String head = "  " + i + ". " + b.t.severity(v.severity()) + rest;
        // measured without colour codes: a long code on a narrow terminal puts the confidence on its own line
        int plain = ("  " + i + ". " + v.severity().toUpperCase(Locale.ROOT) + rest + "  " + confidence).length();
        if (plain <= b.t.width()) b.raw(head + "  " + confidence);
        else { b.raw(head); b.raw("     " + confidence); }
        b.wrap(v.title(), "     ", "     ");
        b.wrap(v.summary(), "     ", "     ");
        if (!v.basis().isEmpty()) {
            b.raw("     Read from:");
            cites(b, v.basis());
        }
        if (!v.evidence().isEmpty()) b.raw("     For:");
        for (Report.EvidenceItem e : v.evidence()) evidence(b, "     + ", e);
        if (!v.against().isEmpty()) b.raw("     Against:");
        for (Report.EvidenceItem e : v.against()) evidence(b, "     - ", e);
        if (!v.next().isEmpty()) {
            b.raw("     Next captures (each command pastes as it is):");
            int n = 1;
            for (Report.Next x : v.next()) {
                String where = x.where().equals("crash") ? "in crash: " : "in a shell: ";
                b.wrap(n++ + ") " + where + x.why(), "       ", "          ");
                for (String line : x.command().split("\n")) b.raw("            " + line);
                if (!x.placeholders().isEmpty()) b.wrap("fill in: " + String.join(", ", x.placeholders()), "          ", "          ");
            }
        }
        if (explain && v.explanation() != null) {
            b.raw("     Explanation:");
            tree(b, Answer.readable(v.explanation()), "       ");
        }
    }

    private static void evidence(Out b, String prefix, Report.EvidenceItem e) {
        b.wrap(e.text() + String.format(Locale.ROOT, " (weight %.1f)", e.weight()), prefix, " ".repeat(prefix.length()));
        cites(b, e.cites());
    }

    private static void cites(Out b, List<Report.Cite> cites) {
        int n = 0;
        for (Report.Cite c : cites) {
            if (n++ == 4) { b.raw("         ... " + (cites.size() - 4) + " more"); break; }
            b.wrap(c.fact(), "         " + c.cite() + "  ", "             ");
        }
    }

    static void tree(Out b, Report.Node n, String indent) {
        StringBuilder s = new StringBuilder(n.text());
        if (!n.rule().isEmpty()) s.append("  <= rule \"").append(n.rule()).append('"');
        if (!n.cite().isEmpty()) s.append("  [").append(n.cite()).append(']');
        b.wrap(s.toString(), indent, indent + "    ");
        for (Report.Node c : n.children()) tree(b, c, indent + "  ");
    }

    private static void input(Report r, Out b) {
        var d = r.diagnostics();
        Answer.InputCounts c = Answer.counts(d);
        b.blank();
        b.raw(b.t.heading("Input"));
        b.wrap(c.sentence(r.exitCode()), "  ", "    ");
        List<String> unknown = new ArrayList<>();
        for (Report.FileView f : d.files()) {
            if (f.format().equals("unknown")) unknown.add(f.file() + " (" + Units.count(f.lines()) + " lines)");
            else if (f.skipped() > 0 || f.problems() > 0)
                b.wrap(String.format(Locale.ROOT, "%s: %s, %s lines, %s not understood", f.file(), f.format(), Units.count(f.lines()),
                        Units.count(f.skipped())), "  ", "    ");
        }
        if (!unknown.isEmpty()) b.wrap("In no format leakdx knows: " + String.join(", ", unknown), "  ", "    ");
        for (String m : d.messages()) if (!Answer.repeatsFileRow(m, d)) b.wrap(m, "  ", "    ");
        if (!d.missing().isEmpty()) {
            b.raw("  Missing inputs (what each would add):");
            for (Report.Missing m : d.missing()) b.wrap(m.input() + ": " + m.hint(), "    ", "      ");
        }
        if (!d.unknownSections().isEmpty()) {
            if (d.unknownSections().stream().anyMatch(s -> !s.command().isEmpty() || !unknownFile(d, s.cite())))
                b.raw("  Sections no extractor reads (listed, not used):");
            int n = 0;
            for (Report.Section s : d.unknownSections()) {
                if (s.command().isEmpty() && unknownFile(d, s.cite())) continue; // already in the list of files in no known format
                if (n++ == 15) { b.raw("    ... " + (d.unknownSections().size() - 15) + " more"); break; }
                b.wrap(s.cite() + "  " + (s.command().isEmpty() ? "(no command)" : "crash> " + s.command()) + " (" + s.lines() + " lines)",
                        "    ", "      ");
            }
        }
    }

    private static boolean unknownFile(Report.Diagnostics d, String cite) {
        for (Report.FileView f : d.files()) if (f.format().equals("unknown") && cite.startsWith(f.file() + ":")) return true;
        return false;
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s + " " : s + " ".repeat(w - s.length());
    }

    /** Words of {@code text} in lines of at most {@code width} columns; a word longer than a line is cut. */
    static List<String> wrapLines(String text, String first, String rest, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder(first);
        int start = first.length();
        for (String w : text.replace('\n', ' ').split(" ")) {
            if (w.isEmpty()) continue;
            if (line.length() > start && line.length() + 1 + w.length() > width) {
                out.add(line.toString());
                line = new StringBuilder(rest);
                start = rest.length();
            }
            if (line.length() > start) line.append(' ');
            while (line.length() + w.length() > width && width - line.length() > 8) {
                int room = width - line.length();
                int cut = Math.max(w.lastIndexOf(',', room - 1), w.lastIndexOf('/', room - 1)) + 1; // after a comma or slash if one fits
                if (cut > room / 2) room = cut;
                line.append(w, 0, room);
                out.add(line.toString());
                w = w.substring(room);
                line = new StringBuilder(rest);
                start = rest.length();
            }
            line.append(w);
        }
        if (line.length() > start || out.isEmpty()) out.add(line.toString());
        return out;
    }

    /** Lines with the layout's width. */
    static final class Out {
        final Terminal t;
        private final StringBuilder b = new StringBuilder();

        Out(Terminal t) { this.t = t; }

        void raw(String line) { b.append(line).append('\n'); }

        void blank() { b.append('\n'); }

        void wrap(String text, String first, String rest) {
            for (String l : wrapLines(text, first, rest, t.width())) raw(l);
        }

        @Override public String toString() { return b.toString(); }
    }
}
