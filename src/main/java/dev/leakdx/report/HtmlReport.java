package dev.leakdx.report;

import dev.leakdx.explain.Report;
import dev.leakdx.facts.Units;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One self-contained HTML page for people: verdicts first, a picture of where memory went
 * (an inline SVG stacked bar per budget basis, the unexplained gap highlighted and the leak
 * verdicts marked on it), then every verdict with its evidence cited down to input lines,
 * the hypotheses set aside and what refuted them, host facts, diagnostics, and an appendix of
 * every cited input line. Every citation is a link into that appendix.
 *
 * <p>No network: inline CSS, no fonts, images or external scripts, and a Content-Security-
 * Policy that forbids loading anything. The one inline script (allowed by its hash) only opens
 * every {@code <details>} before printing; the page works without it (the explanation trees
 * are {@code <details>}, and print CSS expands them where the browser supports
 * {@code ::details-content}). All text from the capture is escaped. The output is also
 * well-formed XML, so tests (and tools) can parse it.
 *
 * <p>The page's layout (head, header, section order, footer) is the resource template
 * page.html and its style sheet report.css, filled from a small view model ({@link PageView}) by
 * {@link Template}'s placeholder substitution; each section's markup is still built by the
 * method that knows it (the chart's geometry, the evidence lists, the appendix).
 */
public final class HtmlReport {
    private HtmlReport() {}

    /** The page's only script: expand every collapsible before printing. */
    static final String SCRIPT =
            "addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true})});";

    /** Below this viewport width (px) the compact chart replaces the wide one (CSS media query in {@link #CSS}). */
    static final int NARROW = 980;
    /** The compact chart's width in SVG user units: 13-unit text stays at least 10 px high at 360 px. */
    static final double COMPACT_W = 380;

    /** Width of a budget bar in SVG user units (the whole SVG is 960 wide). */
    static final double BAR_WIDTH = 936;

    public static String render(Report r) {
        return new Page(r).render();
    }

    /** Escapes text for element content and quoted attribute values alike. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    // control characters other than tab/newline are not allowed in HTML (nor XML)
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') b.append('\uFFFD');
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    static String scriptHash() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(SCRIPT.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One cited input range: the facts read from it and who cites it. */
    private static final class Line {
        final String cite, file, id;
        final long line, lastLine;
        final Set<String> facts = new LinkedHashSet<>();
        final Set<String> contexts = new LinkedHashSet<>();
        final Map<String, String> citedBy = new LinkedHashMap<>(); // href -> label

        Line(String cite, String file, long line, long lastLine, String id) {
            this.cite = cite;
            this.file = file;
            this.line = line;
            this.lastLine = lastLine;
            this.id = id;
        }
    }

    /** A place in the page that cites input lines (for the appendix's back links). */
    private record Ref(String href, String label) {}

    private static final Pattern CITE = Pattern.compile("^(.*):(\\d+)(?:-(\\d+))?$");

    private static final class Page {
        final Report r;
        final StringBuilder b = new StringBuilder(1 << 16);
        final Map<String, Line> lines = new LinkedHashMap<>();
        final Set<String> ids = new HashSet<>();
        final Map<Report.Verdict, String> anchors = new LinkedHashMap<>();

        Page(Report r) {
            this.r = r;
            int i = 1;
            for (Report.Verdict v : r.verdicts()) anchors.put(v, id("v" + i++ + "-" + slug(v.code())));
            i = 1;
            for (Report.Verdict v : r.considered()) anchors.put(v, id("c" + i++ + "-" + slug(v.code())));
        }

        String id(String want) {
            String id = want;
            for (int n = 2; !ids.add(id); n++) id = want + "-" + n;
            return id;
        }

        /** Registers a citation and returns the appendix anchor it links to. */
        String cite(String cite, String file, long line, long last, String fact, String context, Ref ref) {
            if (cite == null || cite.isEmpty()) return "";
            Line l = lines.get(cite);
            if (l == null) {
                String f = file;
                long a = line, z = last;
                if (f == null) {
                    Matcher m = CITE.matcher(cite);
                    if (m.matches()) {
                        f = m.group(1);
                        a = Long.parseLong(m.group(2));
                        z = m.group(3) == null ? a : Long.parseLong(m.group(3));
                    } else {
                        f = cite.startsWith("derived") ? "(derived)" : cite;
                        a = z = 0;
                    }
                }
                l = new Line(cite, f, a, Math.max(a, z), id("in-" + slug(cite)));
                lines.put(cite, l);
            }
            if (fact != null && !fact.isBlank()) l.facts.add(fact);
            if (context != null && !context.isBlank()) l.contexts.add(context);
            if (ref != null) l.citedBy.putIfAbsent(ref.href(), ref.label());
            return l.id;
        }

        String link(Report.Cite c, Ref ref) {
            String id = cite(c.cite(), c.file(), c.line(), c.lastLine(), c.fact(), c.context(), ref);
            return "<a class=\"cite\" href=\"#" + id + "\">" + esc(c.cite()) + "</a>";
        }

        String link(String cite, String fact, Ref ref) {
            if (cite == null || cite.isEmpty()) return "";
            String id = cite(cite, null, 0, 0, fact, "", ref);
            return "<a class=\"cite\" href=\"#" + id + "\">" + esc(cite) + "</a>";
        }

        /**
         * The page: the view model ({@link PageView}: the title, the when/where line, the meta line,
         * the navigation and each section's markup, rendered in page order so that anchors and the
         * appendix's back links come out as before) laid into the resource template page.html.
         */
        String render() {
            String whenWhere = Answer.whenWhere(r);
            List<String[]> nav = new ArrayList<>(List.of(new String[] {"#verdicts", "Verdicts"}, new String[] {"#memory", "Where memory went"},
                    new String[] {"#details", "Evidence"}));
            if (!r.considered().isEmpty()) nav.add(new String[] {"#considered", "Set aside"});
            if (!r.findings().isEmpty()) nav.add(new String[] {"#findings", "Findings"});
            nav.addAll(List.of(new String[] {"#host", "Host"}, new String[] {"#input", "Input"}, new String[] {"#input-lines", "Input lines"}));
            Map<String, String> sections = new LinkedHashMap<>();
            sections.put("verdicts", section(this::glance));
            sections.put("memory", section(this::memory));
            sections.put("details", section(this::verdicts));
            sections.put("considered", section(this::considered));
            sections.put("findings", section(this::findings));
            sections.put("host", section(this::host));
            sections.put("input", section(this::diagnostics));
            sections.put("appendix", section(this::appendix)); // last: it lists what the others cited
            return new PageView(r.tool(), r.schema(), r.capture(), whenWhere, meta(), nav, sections).render();
        }

        /** One section's markup, rendered by the Java method that knows it. */
        String section(Runnable render) {
            int start = b.length();
            render.run();
            String out = b.substring(start);
            b.setLength(start);
            return out;
        }

        /** The line under the title: verdict counts, exit code, host, tool (plain text). */
        String meta() {
            StringBuilder m = new StringBuilder();
            long crit = count("critical"), warn = count("warning"), info = count("info");
            if (r.exitCode() == 2) m.append("Nothing in this capture could be read");
            else if (r.verdicts().isEmpty()) m.append("No leak found in what was captured");
            else {
                m.append(r.verdicts().size()).append(r.verdicts().size() == 1 ? " verdict" : " verdicts").append(": ");
                List<String> parts = new ArrayList<>();
                if (crit > 0) parts.add(crit + " critical");
                if (warn > 0) parts.add(warn + " warning");
                if (info > 0) parts.add(info + " info");
                m.append(String.join(", ", parts));
            }
            m.append(" · exit code ").append(r.exitCode());
            List<String> hostBits = new ArrayList<>();
            for (String k : List.of("arch", "kernel_release", "page_size", "ram_bytes")) {
                Report.HostValue h = r.host().get(k);
                if (h == null) continue;
                String v = TextReport.show(k, h.value());
                hostBits.add(switch (k) { case "page_size" -> v + " pages"; case "ram_bytes" -> v + " RAM"; default -> v; });
            }
            if (!hostBits.isEmpty()) m.append(" · host ").append(String.join(", ", hostBits));
            return m.append(" · ").append(r.tool()).toString();
        }

        long count(String sev) {
            return r.verdicts().stream().filter(v -> v.severity().equalsIgnoreCase(sev)).count();
        }

        /** The ranked verdicts in one table, before anything else. */
        void glance() {
            b.append("<section id=\"verdicts\">\n<h2>Verdicts</h2>\n");
            if (r.verdicts().isEmpty()) {
                b.append(r.exitCode() == 2 ? "<p class=\"card none\">Nothing in this capture could be read: no line of any file gave a value leakdx can use (see the input files and diagnostics below, and leakdx formats)." : "<p class=\"card none\">No leak found in what was captured.");
                if (!r.considered().isEmpty())
                    b.append(" ").append(r.considered().size()).append(" hypothes").append(r.considered().size() == 1 ? "is was" : "es were")
                            .append(" <a href=\"#considered\">considered and set aside</a>.");
                b.append("</p>\n</section>\n");
                return;
            }
            b.append("<table class=\"glance\">\n<thead><tr><th>#</th><th>severity</th><th>verdict</th><th class=\"num\">memory</th>")
                    .append("<th class=\"num\"><abbr title=\"").append(esc(Answer.LEGEND)).append("\">confidence</abbr></th></tr></thead>\n<tbody>\n");
            int i = 1;
            for (Report.Verdict v : r.verdicts()) {
                String sev = sev(v);
                b.append("<tr class=\"").append(sev).append("\"><td class=\"num\">").append(i++).append("</td><td>").append(badge(v))
                        .append("</td><td><a class=\"code\" href=\"#").append(anchors.get(v)).append("\">").append(esc(v.code()))
                        .append("</a> <span class=\"title\">").append(esc(v.title())).append("</span>");
                if (!v.outrankedBy().isEmpty())
                    b.append(" <span class=\"close\">(close runner-up to ").append(codeLink(v.outrankedBy())).append(")</span>");
                b.append("<p class=\"summary\">").append(esc(v.summary())).append("</p></td>")
                        .append("<td class=\"num bytes\"").append(v.bytes() > 0 ? " data-bytes=\"" + v.bytes() + "\"" : "").append(">")
                        .append(v.bytes() > 0 ? esc(Units.bytes(v.bytes())) : "").append("</td>")
                        .append("<td class=\"num\">").append(conf(v.confidence())).append("</td></tr>\n");
            }
            b.append("</tbody>\n</table>\n");
            b.append("<p class=\"note\" id=\"confidence\">").append(esc(Answer.LEGEND)).append("</p>\n</section>\n");
        }

        // ------------------------------------------------------------------ the budget picture

        void memory() {
            b.append("<section id=\"memory\">\n<h2>Where memory went</h2>\n");
            Map<String, List<Report.BudgetLine>> byBasis = new LinkedHashMap<>();
            for (Report.BudgetLine l : r.budget()) byBasis.computeIfAbsent(l.basis(), k -> new ArrayList<>()).add(l);
            if (byBasis.isEmpty()) {
                b.append("<p>No memory budget: neither <code>kmem -i</code> nor <code>/proc/meminfo</code> was captured.</p>\n</section>\n");
                return;
            }
            b.append("<p class=\"lead\">Each bar is one budget: the disjoint lines of <code>kmem -i</code> or <code>/proc/meminfo</code> ")
                    .append("laid end to end, and the rest of the total that no counter explains (hatched red). ")
                    .append("Verdicts are marked under the memory they account for.</p>\n");
            int n = 0;
            for (Map.Entry<String, List<Report.BudgetLine>> e : byBasis.entrySet()) chart(e.getKey(), e.getValue(), n++);
            b.append("</section>\n");
        }

        /** The drawing's geometry: the wide chart (960 units) or the compact one for narrow screens and phones (380 units). */
        double W = 960, X0 = 12, BW = BAR_WIDTH;
        static final double BAR_Y = 30, BAR_H = 48;
        boolean compact;

        /**
         * One budget as a figure: two drawings of the same bar, a wide one (960 units, two legend
         * columns) shown on screens of {@link #NARROW} px and more, and a compact one (380 units,
         * one legend column, each verdict mark on two lines) shown below that width, so that the
         * 13-unit text stays at least 10 px high on a 360 px phone and at 760 px (the CSS in
         * {@link #CSS} switches them); then the lines as a table with their sources.
         */
        void chart(String basis, List<Report.BudgetLine> budget, int n) {
            Report.BudgetLine total = budget.stream().filter(l -> l.kind().equals("total")).findFirst().orElse(null);
            List<Report.BudgetLine> parts = budget.stream().filter(l -> l.kind().equals("part")).toList();
            Report.BudgetLine gap = budget.stream().filter(l -> l.kind().equals("gap")).findFirst().orElse(null);
            long partSum = parts.stream().mapToLong(l -> Math.max(0, l.bytes())).sum();
            long gapBytes = gap == null ? 0 : Math.max(0, gap.bytes());
            long totalBytes = total != null ? total.bytes() : partSum + gapBytes;
            long scale = Math.max(totalBytes, partSum + gapBytes);
            String figId = id("budget-" + slug(basis));
            Ref ref = new Ref("#" + figId, "budget (" + basis + ")");
            b.append("<figure class=\"chart\" id=\"").append(figId).append("\">\n<figcaption><b>").append(esc(basis)).append("</b>");
            if (total != null)
                b.append(": ").append(esc(total.label())).append(" = <b>").append(fig(total.bytes())).append("</b> ")
                        .append(link(total.cite(), basis + " " + total.label() + " = " + Units.bytes(total.bytes()), ref));
            b.append("</figcaption>\n");
            if (scale <= 0) {
                b.append("<p>Nothing to draw: the budget is empty.</p>\n</figure>\n");
                return;
            }
            List<String> unplaced = null;
            for (boolean c : new boolean[] {false, true}) {
                compact = c;
                W = c ? COMPACT_W : 960;
                X0 = c ? 8 : 12;
                BW = W - 2 * X0;
                List<String> u = drawing(basis, budget, n);
                if (unplaced == null) unplaced = u;
            }
            compact = false;
            W = 960;
            X0 = 12;
            BW = BAR_WIDTH;
            double denom = totalBytes > 0 ? totalBytes : scale;
            if (!unplaced.isEmpty())
                b.append("<p class=\"note\">Not drawn on this bar (matches no line and is larger than the unexplained part): ")
                        .append(esc(String.join(", ", unplaced))).append(".</p>\n");
            if (partSum + gapBytes > totalBytes && total != null)
                b.append("<p class=\"note\">The lines add up to more than the total (")
                        .append(fig(partSum + gapBytes)).append(" vs ").append(fig(totalBytes))
                        .append("): the bar is drawn to their sum.</p>\n");

            // the same budget as a table, with the input line behind each figure
            b.append("<details class=\"lines\"><summary>The ").append(budget.size()).append(" lines of this budget, with their sources</summary>\n")
                    .append("<table><thead><tr><th></th><th>line</th><th class=\"num\">memory</th><th class=\"num\">share</th><th>source</th></tr></thead><tbody>\n");
            for (Report.BudgetLine l : budget) {
                String mark = switch (l.kind()) { case "gap" -> "!"; case "overlap" -> "~"; case "total" -> "="; default -> ""; };
                b.append("<tr class=\"").append(esc(l.kind())).append("\"><td>").append(mark).append("</td><td>").append(esc(l.label()))
                        .append("</td><td class=\"num\">").append(fig(l.bytes())).append("</td><td class=\"num\">")
                        .append(esc(pct(l.bytes() / denom))).append("</td><td>")
                        .append(link(l.cite(), basis + " " + l.label() + " = " + Units.bytes(l.bytes()), ref)).append("</td></tr>\n");
            }
            b.append("</tbody></table>\n<p class=\"meta\">= total · ~ already inside another line, not added again · ! explained by no counter</p>\n</details>\n</figure>\n");
        }

        /** One drawing of a budget (wide or compact, by the geometry set); returns the verdicts it could not place. */
        List<String> drawing(String basis, List<Report.BudgetLine> budget, int n) {
            Report.BudgetLine total = budget.stream().filter(l -> l.kind().equals("total")).findFirst().orElse(null);
            List<Report.BudgetLine> parts = budget.stream().filter(l -> l.kind().equals("part")).toList();
            List<Report.BudgetLine> overlaps = budget.stream().filter(l -> l.kind().equals("overlap")).toList();
            Report.BudgetLine gap = budget.stream().filter(l -> l.kind().equals("gap")).findFirst().orElse(null);
            long partSum = parts.stream().mapToLong(l -> Math.max(0, l.bytes())).sum();
            long gapBytes = gap == null ? 0 : Math.max(0, gap.bytes());
            long totalBytes = total != null ? total.bytes() : partSum + gapBytes;
            long scale = Math.max(totalBytes, partSum + gapBytes);
            double denom = totalBytes > 0 ? totalBytes : scale;

            // where each verdict goes: under the line of its own kind (HUGETLB_* under the hugetlb pool, ...) when it
            // fits in it, or under a line it equals when it is larger than the gap; else under the gap, side by side
            record Mark(Report.Verdict v, double x1, double x2, String where) {}
            List<Mark> marks = new ArrayList<>();
            List<String> unplaced = new ArrayList<>();
            double gapX = X0 + BW * partSum / (double) scale;
            double gapW = BW * gapBytes / (double) scale;
            double gapUsed = 0;
            for (Report.Verdict v : r.verdicts()) {
                if (v.bytes() <= 0) continue;
                double x = X0;
                Mark m = null;
                boolean fitsGap = gap != null && gapBytes > 0 && v.bytes() <= gapBytes * 1.10;
                for (Report.BudgetLine p : parts) {
                    double w = BW * Math.max(0, p.bytes()) / (double) scale;
                    String token = FAMILY.get(p.key());
                    boolean equal = p.bytes() > 0 && Math.abs(p.bytes() - v.bytes()) <= 0.02 * v.bytes();
                    boolean own = token != null && v.code().contains(token) && p.bytes() > 0 && v.bytes() <= p.bytes() * 1.02;
                    if (own || (equal && !fitsGap)) {
                        m = new Mark(v, x, x + (equal ? w : w * v.bytes() / (double) p.bytes()), (equal ? "all of " : "inside ") + p.label());
                        break;
                    }
                    x += w;
                }
                if (m == null && fitsGap) {
                    double w = Math.min(BW * v.bytes() / (double) scale, Math.max(0, gapW - gapUsed));
                    m = new Mark(v, gapX + gapUsed, gapX + gapUsed + w, pct(v.bytes() / (double) gapBytes) + " of the unexplained");
                    gapUsed += w;
                }
                if (m != null) marks.add(m);
                else unplaced.add(v.code() + " (" + Units.bytes(v.bytes()) + ")");
            }

            List<Object[]> legend = new ArrayList<>(); // {line, fill, swatch-class}
            double markTop = BAR_Y + BAR_H + 8;
            double markStep = compact ? 50 : 34;
            double legendTop = markTop + marks.size() * markStep + (marks.isEmpty() ? 4 : 12);
            int legendItems = parts.size() + overlaps.size();
            int cols = legendItems > 4 && !compact ? 2 : 1;
            int rows = (legendItems + cols - 1) / cols;
            double height = legendTop + (gap != null ? 24 : 0) + rows * 22 + (overlaps.isEmpty() ? 8 : 26);
            Object[] gapRow = null;
            String pat = "hatch-" + n + (compact ? "-compact" : "");

            b.append(String.format(Locale.ROOT, "<svg class=\"budget %s\" %s=\"%s\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"%s\">\n",
                    compact ? "compact" : "wide", compact ? "data-compact-basis" : "data-basis", esc(basis), W, height, W, height, esc("Where memory went (" + basis + ")")));
            b.append("<defs><pattern id=\"").append(pat).append("\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">")
                    .append("<rect width=\"8\" height=\"8\" fill=\"#fbd5d2\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#d93025\" stroke-width=\"3\"/>")
                    .append("</pattern></defs>\n");
            b.append(String.format(Locale.ROOT, "<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#ffffff\" stroke=\"#8a94a3\"/>\n",
                    X0, BAR_Y, BW, BAR_H));
            double x = X0;
            int pi = 0;
            for (Report.BudgetLine p : parts) {
                double w = BW * Math.max(0, p.bytes()) / (double) scale;
                String fill = color(p.key(), pi++);
                String pct = pct(p.bytes() / denom);
                b.append(String.format(Locale.ROOT, "<rect class=\"part\" data-key=\"%s\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"%s\">",
                        esc(p.key()), x, BAR_Y, w, BAR_H, fill, w > 3 ? "1" : "0"));
                b.append("<title>").append(esc(p.label() + ": " + Units.bytes(p.bytes()) + " (" + pct + ")")).append("</title></rect>\n");
                segmentLabel(p.label(), p.bytes(), pct, x, w, "#10161f");
                legend.add(new Object[] {p, fill, "sw"});
                x += w;
            }
            if (gap != null) {
                String pct = pct(gapBytes / denom);
                b.append(String.format(Locale.ROOT, "<rect class=\"gap\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"url(#%s)\" stroke=\"#b3261e\" stroke-width=\"2\">",
                        gapX, BAR_Y, gapW, BAR_H, pat));
                b.append("<title>").append(esc(gap.label() + ": " + Units.bytes(gapBytes) + " (" + pct + ")")).append("</title></rect>\n");
                // the caption above the bar, pointing at the gap
                String cap = "▼ unexplained " + figSvg(gapBytes) + esc(" · " + pct);
                boolean right = gapX + gapW / 2 > X0 + BW / 2;
                double tx = right ? Math.min(X0 + BW, gapX + gapW) : gapX;
                b.append(String.format(Locale.ROOT, "<text class=\"gapcap\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"13\" font-weight=\"700\" fill=\"#b3261e\">%s</text>\n",
                        tx, BAR_Y - 9, right ? "end" : "start", cap));
                gapRow = new Object[] {gap, "url(#" + pat + ")", "sw gapsw"};
            }
            for (Report.BudgetLine o : overlaps) legend.add(new Object[] {o, "none", "sw overlapsw"});

            // verdict marks under the bar
            int k = 0;
            for (Mark m : marks) {
                double y = markTop + k++ * markStep;
                String stroke = switch (sev(m.v())) { case "critical" -> "#b3261e"; case "warning" -> "#b25e00"; default -> "#1f5fa8"; };
                double x1 = m.x1(), x2 = Math.max(m.x2(), m.x1() + 2);
                b.append(String.format(Locale.ROOT, "<path class=\"mark\" d=\"M%.2f %.1f V%.1f H%.2f V%.1f\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"/>\n",
                        x1, y, y + 7, x2, y, stroke));
                String text = m.v().code() + "  " + Units.bytes(m.v().bytes()) + " · " + pct(m.v().bytes() / denom) + " of the total · " + m.where();
                boolean right = x2 > X0 + BW * 0.55;
                b.append(String.format(Locale.ROOT, "<text class=\"marktext\" data-code=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"13\" fill=\"%s\">",
                        esc(m.v().code()), right ? x2 : x1, y + 23, right ? "end" : "start", stroke));
                if (compact) {
                    // two lines: the code and its memory, then its share and place, cut to the drawing's width
                    String second = pct(m.v().bytes() / denom) + " of the total · " + m.where();
                    int max = (int) (BW / 7.2);
                    if (second.length() > max) second = second.substring(0, max - 1) + "…";
                    b.append("<tspan font-weight=\"700\">").append(esc(m.v().code())).append("</tspan> ").append(figSvg(m.v().bytes()))
                            .append(String.format(Locale.ROOT, "<tspan x=\"%.1f\" dy=\"16\">", right ? x2 : x1)).append(esc(second)).append("</tspan>")
                            .append("<title>").append(esc(text)).append("</title></text>\n");
                } else
                    b.append("<tspan font-weight=\"700\">").append(esc(m.v().code())).append("</tspan> ").append(figSvg(m.v().bytes()))
                            .append(esc(" · " + pct(m.v().bytes() / denom) + " of the total · " + m.where()))
                            .append("<title>").append(esc(text)).append("</title></text>\n");
            }

            // the legend, every line with its bytes and share: the gap on a row of its own, then the parts and overlaps
            double colW = BW / cols, gridTop = legendTop;
            if (gapRow != null) {
                legendRow((Report.BudgetLine) gapRow[0], (String) gapRow[1], (String) gapRow[2], X0, legendTop, BW, denom);
                gridTop += 24;
            }
            for (int i = 0; i < legend.size(); i++)
                legendRow((Report.BudgetLine) legend.get(i)[0], (String) legend.get(i)[1], (String) legend.get(i)[2],
                        X0 + (i / rows) * colW, gridTop + (i % rows) * 22, colW, denom);
            if (!overlaps.isEmpty())
                b.append(String.format(Locale.ROOT, "<text class=\"foot\" x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#5b6573\">%s</text>\n",
                        X0, gridTop + rows * 22 + 12, esc(compact ? "~ counted inside other lines: not drawn" : "~ already counted inside other lines: shown for reading, not drawn in the bar")));
            b.append("</svg>\n");
            return unplaced;
        }

        /** One legend row: swatch, label (cut to fit, whole in its tooltip), bytes and share right-aligned. */
        void legendRow(Report.BudgetLine l, String fill, String cls, double cx, double ry, double colW, double denom) {
            boolean isGap = l.kind().equals("gap"), isOverlap = l.kind().equals("overlap");
            b.append(String.format(Locale.ROOT, "<g class=\"legend\" data-kind=\"%s\"><rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"%s\" stroke=\"%s\"%s/>",
                    esc(l.kind()), cls, cx, ry, fill, isGap ? "#b3261e" : isOverlap ? "#5b6573" : "#ffffff",
                    isOverlap ? " stroke-dasharray=\"3 2\"" : ""));
            String label = (isOverlap ? "~ " : "") + l.label();
            int maxChars = (int) ((colW - 22 - 150) / (isGap ? 8.0 : 7.4));
            String shown = label.length() > maxChars ? label.substring(0, Math.max(1, maxChars - 1)) + "…" : label;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" fill=\"%s\"%s>%s<title>%s</title></text>",
                    cx + 22, ry + 12, isGap ? "#b3261e" : isOverlap ? "#5b6573" : "#1d2430", isGap ? " font-weight=\"700\"" : "",
                    esc(shown), esc(label)));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" text-anchor=\"end\" fill=\"%s\" font-weight=\"%s\" data-bytes=\"%d\">%s</text>",
                    cx + colW - 70, ry + 12, isGap ? "#b3261e" : "#1d2430", isGap ? "700" : "600", l.bytes(), esc(Units.bytes(l.bytes()))));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" text-anchor=\"end\" fill=\"%s\">%s</text></g>\n",
                    cx + colW - 14, ry + 12, isGap ? "#b3261e" : "#5b6573", esc(pct(l.bytes() / denom))));
        }

        /** Label written inside a bar segment when it is wide enough. */
        void segmentLabel(String label, long bytes, String pct, double x, double w, String fill) {
            if (w >= 96) {
                int max = (int) ((w - 12) / 8.0);
                String name = label.length() > max ? label.substring(0, Math.max(1, max - 1)) + "…" : label;
                b.append(String.format(Locale.ROOT, "<text class=\"seglabel\" x=\"%.1f\" y=\"%.1f\" font-size=\"13\" font-weight=\"600\" fill=\"%s\">%s</text>\n",
                        x + 7, BAR_Y + 20, fill, esc(name)));
                b.append(String.format(Locale.ROOT, "<text class=\"seglabel\" x=\"%.1f\" y=\"%.1f\" font-size=\"13\" fill=\"%s\">%s</text>\n",
                        x + 7, BAR_Y + 38, fill, figSvg(bytes) + esc(" · " + pct)));
            } else if (w >= 44) {
                b.append(String.format(Locale.ROOT, "<text class=\"seglabel\" x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" fill=\"%s\">%s</text>\n",
                        x + w / 2, BAR_Y + 29, fill, esc(pct)));
            }
        }

        static final Map<String, String> COLORS = Map.ofEntries(
                Map.entry("FREE", "#9fd39a"), Map.entry("MemFree", "#9fd39a"),
                Map.entry("BUFFERS", "#c6dbef"), Map.entry("Buffers", "#c6dbef"),
                Map.entry("CACHED", "#7fb2de"), Map.entry("Cached", "#7fb2de"), Map.entry("SwapCached", "#a8c8e8"),
                Map.entry("AnonPages", "#7fd1c7"),
                Map.entry("SLAB", "#c3b1e1"), Map.entry("SReclaimable", "#d3c6ec"), Map.entry("SUnreclaim", "#a98fd4"),
                Map.entry("KernelStack", "#d7c2b4"), Map.entry("PageTables", "#c4a68f"), Map.entry("SecPageTables", "#e2d4c8"),
                Map.entry("Percpu", "#b8c4ce"),
                Map.entry("TOTAL HUGE", "#f2c46d"), Map.entry("Hugetlb", "#f2c46d"));
        /** The word in a verdict code that says it is about a budget line's memory. */
        static final Map<String, String> FAMILY = Map.ofEntries(
                Map.entry("TOTAL HUGE", "HUGETLB"), Map.entry("Hugetlb", "HUGETLB"),
                Map.entry("SLAB", "SLAB"), Map.entry("SUnreclaim", "SLAB"),
                Map.entry("CACHED", "PAGE_CACHE"), Map.entry("Cached", "PAGE_CACHE"),
                Map.entry("KernelStack", "STACK"), Map.entry("PageTables", "PAGE_TABLE"), Map.entry("Percpu", "PERCPU"));
        static final String[] PALETTE = {"#b5d99c", "#f4b183", "#9dc3e6", "#ffd966", "#c9c9c9", "#d5a6bd"};

        static String color(String key, int i) {
            String c = COLORS.get(key);
            return c != null ? c : PALETTE[i % PALETTE.length];
        }

        // ------------------------------------------------------------------ verdicts in detail

        void verdicts() {
            b.append("<section id=\"details\">\n<h2>Evidence for each verdict</h2>\n");
            if (r.verdicts().isEmpty()) b.append("<p>No verdict.</p>\n");
            int i = 1;
            for (Report.Verdict v : r.verdicts()) verdict(v, i++);
            b.append("</section>\n");
        }

        void verdict(Report.Verdict v, int i) {
            String id = anchors.get(v);
            Ref ref = new Ref("#" + id, v.code());
            b.append("<article class=\"card verdict ").append(sev(v)).append("\" id=\"").append(id).append("\">\n");
            b.append("<div class=\"vhead\"><span class=\"rank\">").append(i).append(".</span>").append(badge(v))
                    .append("<code class=\"code\">").append(esc(v.code())).append("</code><h3>").append(esc(v.title())).append("</h3></div>\n");
            b.append("<div class=\"nums\">");
            if (v.bytes() > 0) memory(v.bytes());
            if (v.pages() > 0) num("pages", Units.count(v.pages()));
            confidence(v.confidence());
            if (!v.outrankedBy().isEmpty()) b.append("<div><span>close runner-up to</span><b>").append(codeLink(v.outrankedBy())).append("</b></div>");
            b.append("</div>\n");
            b.append("<p class=\"summary\">").append(esc(v.summary())).append("</p>\n");
            if (!v.subject().isEmpty()) b.append("<p class=\"subject\">About: ").append(esc(v.subject())).append("</p>\n");
            if (!v.rule().isEmpty()) b.append("<p class=\"rule\">Raised by rule “").append(esc(v.rule())).append("”</p>\n");
            if (!v.basis().isEmpty()) {
                b.append("<h4>Read from</h4>\n");
                cites(v.basis(), ref);
            }
            items("Evidence for", "for", v.evidence(), ref);
            items("Evidence against", "against", v.against(), ref);
            next(v.next());
            tree(v, ref);
            b.append("</article>\n");
        }

        /** A verdict's memory: the figure carries its byte count (data-bytes), as every byte figure of the page does. */
        void memory(long bytes) {
            b.append("<div><span>memory</span><b data-bytes=\"").append(bytes).append("\">").append(esc(Units.bytes(bytes))).append("</b></div>");
        }

        /** A confidence with what it means where it is shown: the legend as the label's tooltip, and a link to it written out. */
        void confidence(double c) {
            b.append("<div><span><abbr title=\"").append(esc(Answer.LEGEND)).append("\"><a href=\"#confidence\">confidence</a></abbr></span><b>")
                    .append(conf(c)).append("</b></div>");
        }

        /** A byte figure in HTML text: one rendering per byte count (Units.bytes), with the count in data-bytes. */
        static String fig(long bytes) {
            return "<span class=\"fig\" data-bytes=\"" + bytes + "\">" + esc(Units.bytes(bytes)) + "</span>";
        }

        /** The same inside SVG text. */
        static String figSvg(long bytes) {
            return "<tspan data-bytes=\"" + bytes + "\">" + esc(Units.bytes(bytes)) + "</tspan>";
        }

        void num(String label, String value) {
            b.append("<div><span>").append(esc(label)).append("</span><b>").append(esc(value)).append("</b></div>");
        }

        void items(String title, String cls, List<Report.EvidenceItem> items, Ref ref) {
            if (items.isEmpty()) return;
            b.append("<h4>").append(esc(title)).append("</h4>\n<ol class=\"ev ").append(cls).append("\">\n");
            for (Report.EvidenceItem e : items) {
                b.append("<li><p class=\"evt\"><span class=\"w\" title=\"weight\">").append(cls.equals("for") ? "+" : "−")
                        .append(String.format(Locale.ROOT, "%.1f", e.weight())).append("</span> ").append(esc(e.text())).append("</p>");
                if (!e.rule().isEmpty()) b.append("<p class=\"rule\">rule “").append(esc(e.rule())).append("”</p>");
                b.append('\n');
                cites(e.cites(), ref);
                b.append("</li>\n");
            }
            b.append("</ol>\n");
        }

        void cites(List<Report.Cite> cites, Ref ref) {
            if (cites.isEmpty()) return;
            b.append("<ul class=\"cites\">\n");
            int n = 0;
            for (Report.Cite c : cites) {
                if (n++ == 6 && cites.size() > 7) b.append("<li class=\"more\"><details><summary>").append(cites.size() - 6).append(" more</summary><ul class=\"cites\">\n");
                b.append("<li>").append(link(c, ref)).append(" <span class=\"fact\">").append(esc(c.fact())).append("</span>");
                if (!c.context().isEmpty()) b.append(" <span class=\"ctx\">(").append(esc(c.context())).append(")</span>");
                b.append("</li>\n");
            }
            if (cites.size() > 7) b.append("</ul></details></li>\n");
            b.append("</ul>\n");
        }

        void next(List<Report.Next> next) {
            if (next.isEmpty()) return;
            b.append("<h4>Capture next</h4>\n<ol class=\"next\">\n");
            for (Report.Next x : next)
                b.append("<li><pre class=\"cmd\"><code>").append(esc(x.command())).append("</code></pre><p>").append(esc(x.why())).append("</p></li>\n");
            b.append("</ol>\n");
        }

        void tree(Report.Verdict v, Ref ref) {
            if (v.explanation() == null) return;
            String id = anchors.get(v);
            b.append("<details class=\"tree\" id=\"tree-").append(id).append("\"><summary>Explanation tree: why ").append(esc(v.code()))
                    .append(" (").append(size(v.explanation())).append(" nodes)</summary>\n<ul class=\"tree\" id=\"tree-").append(id).append("-root\">\n");
            node(v.explanation(), 0, ref);
            b.append("</ul>\n</details>\n");
        }

        static int size(Report.Node n) {
            int s = 1;
            for (Report.Node c : n.children()) s += size(c);
            return s;
        }

        void node(Report.Node n, int depth, Ref ref) {
            StringBuilder h = new StringBuilder();
            h.append("<span class=\"k k-").append(slug(n.kind())).append("\">").append(esc(n.kind())).append("</span> ")
                    .append("<span class=\"nt\">").append(esc(n.text())).append("</span>");
            if (!n.rule().isEmpty()) h.append(" <span class=\"rule\">⇐ rule “").append(esc(n.rule())).append("”</span>");
            if (!n.cite().isEmpty()) h.append(" ").append(link(n.cite(), n.kind().equals("fact") ? n.text() : "", ref));
            boolean kids = !n.children().isEmpty();
            if (!kids && n.doc().isEmpty()) {
                b.append("<li class=\"leaf\">").append(h).append("</li>\n");
                return;
            }
            b.append("<li><details").append(depth < 2 && kids ? " open=\"open\"" : "").append("><summary>").append(h).append("</summary>\n");
            if (!n.doc().isEmpty()) b.append("<p class=\"doc\">").append(esc(n.doc())).append("</p>\n");
            if (kids) {
                b.append("<ul>\n");
                for (Report.Node c : n.children()) node(c, depth + 1, ref);
                b.append("</ul>\n");
            }
            b.append("</details></li>\n");
        }

        // ------------------------------------------------------------------ the rest

        void considered() {
            if (r.considered().isEmpty()) return;
            b.append("<section id=\"considered\">\n<h2>Considered and set aside</h2>\n")
                    .append("<p class=\"lead\">Hypotheses that were raised but lost: outranked by a better explanation of the same memory, or below even odds. ")
                    .append("What refuted each is listed first.</p>\n");
            // the confidence legend is under the verdicts table; with no verdict there is no table, so it is here
            if (r.verdicts().isEmpty()) b.append("<p class=\"note\" id=\"confidence\">").append(esc(Answer.LEGEND)).append("</p>\n");
            for (Report.Verdict v : r.considered()) {
                String id = anchors.get(v);
                Ref ref = new Ref("#" + id, v.code() + " (set aside)");
                b.append("<article class=\"card considered\" id=\"").append(id).append("\">\n<div class=\"vhead\">")
                        .append("<span class=\"badge set-aside\">SET ASIDE</span><code class=\"code\">").append(esc(v.code())).append("</code><h3>")
                        .append(esc(v.title())).append("</h3></div>\n<div class=\"nums\">");
                confidence(v.confidence());
                if (v.bytes() > 0) memory(v.bytes());
                if (!v.outrankedBy().isEmpty()) b.append("<div><span>outranked by</span><b>").append(codeLink(v.outrankedBy())).append("</b></div>");
                b.append("</div>\n<p class=\"summary\">").append(esc(v.summary())).append("</p>\n");
                if (v.against().isEmpty())
                    b.append("<p class=\"why\">Nothing spoke against it; ").append(v.outrankedBy().isEmpty()
                            ? "its confidence " + conf(v.confidence()) + " is below even odds (0.50)."
                            : "the evidence for " + esc(v.outrankedBy()) + " was stronger.").append("</p>\n");
                items("What refuted it", "against", v.against(), ref);
                if (!v.evidence().isEmpty()) {
                    b.append("<details class=\"for-it\"><summary>What spoke for it (").append(v.evidence().size()).append(")</summary>\n");
                    items("Evidence for", "for", v.evidence(), ref);
                    b.append("</details>\n");
                }
                next(v.next());
                tree(v, ref);
                b.append("</article>\n");
            }
            b.append("</section>\n");
        }

        void findings() {
            if (r.findings().isEmpty()) return;
            b.append("<section id=\"findings\">\n<h2>Findings</h2>\n<p class=\"lead\">Intermediate conclusions the rules drew on the way.</p>\n<ul class=\"findings\">\n");
            for (Report.FindingView f : r.findings()) {
                String id = id("f-" + slug(f.code()));
                Ref ref = new Ref("#" + id, f.code());
                b.append("<li id=\"").append(id).append("\"><code class=\"code\">").append(esc(f.code())).append("</code> ");
                if (f.bytes() > 0) b.append("<b data-bytes=\"").append(f.bytes()).append("\">").append(esc(Units.bytes(f.bytes()))).append("</b> ");
                b.append(esc(f.summary()));
                if (!f.subject().isEmpty()) b.append(" <span class=\"ctx\">(").append(esc(f.subject())).append(")</span>");
                if (!f.rule().isEmpty()) b.append("<p class=\"rule\">rule “").append(esc(f.rule())).append("”</p>");
                b.append('\n');
                cites(f.cites(), ref);
                b.append("</li>\n");
            }
            b.append("</ul>\n</section>\n");
        }

        void host() {
            b.append("<section id=\"host\">\n<h2>Host</h2>\n");
            if (r.host().isEmpty()) {
                b.append("<p>Nothing is known about the host.</p>\n</section>\n");
                return;
            }
            Ref ref = new Ref("#host", "host");
            b.append("<table class=\"host\"><thead><tr><th>property</th><th>value</th><th>how it is known</th><th>source</th></tr></thead><tbody>\n");
            r.host().forEach((k, v) -> b.append("<tr><td><code>").append(esc(k)).append("</code></td><td class=\"hv\">")
                    .append(esc(TextReport.show(k, v.value()))).append("</td><td>").append(esc(v.how())).append("</td><td>")
                    .append(link(v.cite(), k + " = " + v.value() + " (" + v.how() + ")", ref)).append("</td></tr>\n"));
            b.append("</tbody></table>\n</section>\n");
        }

        void diagnostics() {
            var d = r.diagnostics();
            long read = d.files().stream().mapToLong(Report.FileView::lines).sum();
            long skipped = d.files().stream().mapToLong(Report.FileView::skipped).sum();
            b.append("<section id=\"input\">\n<h2>Input and diagnostics</h2>\n<p>").append(d.files().size()).append(" files, ")
                    .append(esc(Units.count(read))).append(" lines read, ").append(esc(Units.count(skipped))).append(" not understood.</p>\n");
            b.append("<table class=\"files\"><thead><tr><th>file</th><th>format</th><th class=\"num\">lines</th><th class=\"num\">not understood</th>")
                    .append("<th class=\"num\">problems</th></tr></thead><tbody>\n");
            for (Report.FileView f : d.files())
                b.append("<tr").append(f.skipped() > 0 || f.problems() > 0 || f.format().equals("unknown") ? " class=\"warn\"" : "")
                        .append("><td><code>").append(esc(f.file())).append("</code></td><td>").append(esc(f.format())).append("</td><td class=\"num\">")
                        .append(esc(Units.count(f.lines()))).append("</td><td class=\"num\">").append(esc(Units.count(f.skipped())))
                        .append("</td><td class=\"num\">").append(f.problems()).append("</td></tr>\n");
            b.append("</tbody></table>\n");
            if (!d.messages().isEmpty()) {
                b.append("<h3>Messages</h3>\n<ul class=\"messages\">\n");
                for (String m : d.messages())
                    b.append("<li class=\"").append(m.contains(": error: ") ? "error" : m.contains(": warning: ") ? "warning" : "info")
                            .append("\"><code>").append(esc(m)).append("</code></li>\n");
                b.append("</ul>\n");
            }
            if (!d.missing().isEmpty()) {
                b.append("<h3>Missing inputs</h3>\n<table class=\"missing\"><thead><tr><th>input</th><th>what it would add</th></tr></thead><tbody>\n");
                for (Report.Missing m : d.missing())
                    b.append("<tr><td><code>").append(esc(m.input())).append("</code></td><td>").append(esc(m.hint())).append("</td></tr>\n");
                b.append("</tbody></table>\n");
            }
            if (!d.unknownSections().isEmpty()) {
                b.append("<details class=\"unknown\"><summary>").append(d.unknownSections().size())
                        .append(" crash command sections no extractor reads (listed, not used)</summary>\n<table><tbody>\n");
                for (Report.Section s : d.unknownSections())
                    b.append("<tr><td><code>").append(esc(s.cite())).append("</code></td><td><code>")
                            .append(s.command().isEmpty() ? "(no command)" : "crash&gt; " + esc(s.command())).append("</code></td><td class=\"num\">")
                            .append(s.lines()).append(" lines</td></tr>\n");
                b.append("</tbody></table>\n</details>\n");
            }
            b.append("</section>\n");
        }

        /** Every cited input range, grouped by file, in line order, with the facts read there and who cites it. */
        void appendix() {
            b.append("<section id=\"input-lines\">\n<h2>Input lines cited</h2>\n")
                    .append("<p class=\"lead\">Every input line a conclusion above rests on, with the fact leakdx read from it. ")
                    .append("Line numbers are 1-based, as editors show them; <code>a!b</code> is member <code>b</code> of archive <code>a</code>.</p>\n");
            List<Line> all = new ArrayList<>(lines.values());
            all.sort(Comparator.comparing((Line l) -> l.file.equals("(derived)") ? 1 : 0).thenComparing(l -> l.file)
                    .thenComparingLong(l -> l.line).thenComparingLong(l -> l.lastLine).thenComparing(l -> l.cite));
            String file = null;
            for (Line l : all) {
                if (!l.file.equals(file)) {
                    if (file != null) b.append("</tbody></table>\n");
                    file = l.file;
                    b.append("<h3><code>").append(esc(file)).append("</code></h3>\n<table class=\"inlines\"><thead><tr><th class=\"num\">line</th>")
                            .append("<th>fact read from it</th><th>cited by</th></tr></thead><tbody>\n");
                }
                String where = l.line <= 0 ? l.cite.equals(l.file) ? "" : l.cite
                        : l.lastLine > l.line ? l.line + "–" + l.lastLine : String.valueOf(l.line);
                b.append("<tr id=\"").append(l.id).append("\" title=\"").append(esc(l.cite)).append("\"><td class=\"num\"><code>")
                        .append(esc(where)).append("</code></td><td>");
                if (l.facts.size() == 1) b.append(esc(l.facts.iterator().next()));
                else if (!l.facts.isEmpty()) {
                    b.append("<ul>");
                    for (String f : l.facts) b.append("<li>").append(esc(f)).append("</li>");
                    b.append("</ul>");
                }
                if (!l.contexts.isEmpty()) b.append(" <span class=\"ctx\">(").append(esc(String.join("; ", l.contexts))).append(")</span>");
                b.append("</td><td class=\"by\">");
                List<String> by = new ArrayList<>();
                l.citedBy.forEach((href, label) -> by.add("<a href=\"" + esc(href) + "\">" + esc(label) + "</a>"));
                b.append(String.join(", ", by)).append("</td></tr>\n");
            }
            if (file != null) b.append("</tbody></table>\n");
            else b.append("<p>No input line is cited.</p>\n");
            b.append("</section>\n");
        }

        String codeLink(String code) {
            for (Map.Entry<Report.Verdict, String> e : anchors.entrySet())
                if (e.getKey().code().equals(code)) return "<a class=\"code\" href=\"#" + e.getValue() + "\">" + esc(code) + "</a>";
            return "<code>" + esc(code) + "</code>";
        }
    }

    static String sev(Report.Verdict v) {
        String s = v.severity() == null ? "" : v.severity().toLowerCase(Locale.ROOT);
        return switch (s) { case "critical", "warning", "info" -> s; default -> "info"; };
    }

    static String badge(Report.Verdict v) {
        return "<span class=\"badge " + sev(v) + "\">" + esc(v.severity().toUpperCase(Locale.ROOT)) + "</span>";
    }

    /** A share as the other formats print it: rounded to 4 decimals first (as the report's {@code share}), then to 0.1%. */
    static String pct(double fraction) {
        return Units.pct(Math.round(10000.0 * fraction) / 10000.0);
    }

    static String conf(double c) {
        return String.format(Locale.ROOT, "%.2f", c);
    }

    /** A fragment-safe id part: letters, digits, '-' and '_' only. */
    static String slug(String s) {
        String t = s == null ? "" : s.replaceAll("[^A-Za-z0-9_-]+", "-").replaceAll("^-+|-+$", "");
        return t.isEmpty() ? "x" : t;
    }

    /** The page's style sheet (resource report.css, inlined: the page loads nothing). */
    static final String CSS = Template.text("report.css");

    /** The page's layout (resource page.html). */
    static final Template PAGE = Template.resource("page.html");

    /**
     * The page's view model: what the template lays out. Text fields are escaped by the template
     * ({@code {{name}}}); {@code nav} and the sections are markup ({@code {{{name}}}}).
     */
    record PageView(String tool, String schema, String capture, String whenWhere, String meta, List<String[]> nav, Map<String, String> sections) {
        String render() {
            Map<String, String> v = new LinkedHashMap<>();
            v.put("scriptHash", scriptHash());
            v.put("tool", tool);
            v.put("capture", capture);
            v.put("css", CSS);
            v.put("whenWhere", whenWhere == null ? "" : "<p class=\"when\">" + esc(whenWhere) + "</p>\n");
            v.put("meta", meta);
            StringBuilder n = new StringBuilder();
            for (String[] l : nav) n.append("<a href=\"").append(esc(l[0])).append("\">").append(esc(l[1])).append("</a>");
            v.put("nav", n.toString());
            v.putAll(sections);
            v.put("schema", schema);
            v.put("script", SCRIPT);
            return PAGE.fill(v);
        }
    }

}
