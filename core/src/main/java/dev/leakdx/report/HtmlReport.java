package dev.leakdx.report;

import dev.leakdx.explain.Report;
import dev.leakdx.facts.Units;
import dev.leakdx.report.HtmlView.*;

import static dev.leakdx.report.HtmlView.fill;

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
 * {@link Template}'s placeholder substitution. Each section is a small view model of its own
 * ({@link HtmlView}: {@code GlanceView}/{@code VerdictView}, {@code BudgetView}/{@code BudgetRow},
 * {@code VerdictCard} with its {@code EvidenceLine}s and {@code NextCapture}s, {@code ConsideredCard},
 * {@code FindingLine}, {@code HostRow}, {@code InputView}, {@code InputLine}), built here from the
 * report in one place ({@code Page.sections()}, in page order) and rendered from the fragments in
 * resources dev/leakdx/report/html/, one per section and one per repeated row or optional part.
 * The budget drawings too: their geometry (positions, widths, cut labels) is computed in Java
 * ({@code drawing}, {@code legendRow}, {@code segmentLabel}) and laid out by the {@code svg-*}
 * fragments; the drawn SVG reaches {@code BudgetView} as markup. The Java holds no markup beyond
 * escaping.
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

    /** Every section's view model for one report, as the page is built from them (for tests and tools). */
    static HtmlView.Sections sections(Report r) {
        return new Page(r).sections();
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

        CiteLink link(Report.Cite c, Ref ref) {
            return new CiteLink(cite(c.cite(), c.file(), c.line(), c.lastLine(), c.fact(), c.context(), ref), c.cite());
        }

        /** A link to a cited input range, or null when there is no citation. */
        CiteLink link(String cite, String fact, Ref ref) {
            if (cite == null || cite.isEmpty()) return null;
            return new CiteLink(cite(cite, null, 0, 0, fact, "", ref), cite);
        }

        /**
         * The page: the view model ({@link PageView}: the title, the when/where line, the meta line,
         * the navigation and each section's markup) laid into the resource template page.html. Each
         * section's view ({@link HtmlView}) is built here, in page order, so that anchors and the
         * appendix's back links come out as before; the appendix last, as it lists what the others cited.
         */
        String render() {
            String whenWhere = Answer.whenWhere(r);
            List<String[]> nav = new ArrayList<>(List.of(new String[] {"#verdicts", "Verdicts"}, new String[] {"#memory", "Where memory went"},
                    new String[] {"#details", "Evidence"}));
            if (!r.considered().isEmpty()) nav.add(new String[] {"#considered", "Set aside"});
            if (!r.findings().isEmpty()) nav.add(new String[] {"#findings", "Findings"});
            nav.addAll(List.of(new String[] {"#host", "Host"}, new String[] {"#input", "Input"}, new String[] {"#input-lines", "Input lines"}));
            return new PageView(r.tool(), r.schema(), r.capture(), whenWhere, meta(), nav, sections().render()).render();
        }

        /** Every section's view model, in page order. */
        Sections sections() {
            GlanceView glance = glance();
            MemoryView memory = memory();
            DetailsView details = new DetailsView(verdicts());
            ConsideredView considered = considered();
            FindingsView findings = findings();
            HostView host = host();
            InputView input = diagnostics();
            return new Sections(glance, memory, details, considered, findings, host, input, appendix());
        }

        /** Markup drawn into the builder by a Java method (the budget drawings), taken out of it. */
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
        GlanceView glance() {
            List<VerdictView> rows = new ArrayList<>();
            int i = 1;
            for (Report.Verdict v : r.verdicts())
                rows.add(new VerdictView(i++, badge(v), v.code(), anchors.get(v), v.title(), v.outrankedBy().isEmpty() ? null : codeRef(v.outrankedBy()),
                        v.summary(), v.bytes(), v.bytes() > 0 ? Units.bytes(v.bytes()) : "", conf(v.confidence())));
            return new GlanceView(rows, r.exitCode() == 2, r.considered().size(), Answer.LEGEND);
        }

        // ------------------------------------------------------------------ the budget picture

        MemoryView memory() {
            Map<String, List<Report.BudgetLine>> byBasis = new LinkedHashMap<>();
            for (Report.BudgetLine l : r.budget()) byBasis.computeIfAbsent(l.basis(), k -> new ArrayList<>()).add(l);
            List<BudgetView> charts = new ArrayList<>();
            int n = 0;
            for (Map.Entry<String, List<Report.BudgetLine>> e : byBasis.entrySet()) charts.add(chart(e.getKey(), e.getValue(), n++));
            return new MemoryView(charts);
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
        BudgetView chart(String basis, List<Report.BudgetLine> budget, int n) {
            Report.BudgetLine total = budget.stream().filter(l -> l.kind().equals("total")).findFirst().orElse(null);
            List<Report.BudgetLine> parts = budget.stream().filter(l -> l.kind().equals("part")).toList();
            Report.BudgetLine gap = budget.stream().filter(l -> l.kind().equals("gap")).findFirst().orElse(null);
            long partSum = parts.stream().mapToLong(l -> Math.max(0, l.bytes())).sum();
            long gapBytes = gap == null ? 0 : Math.max(0, gap.bytes());
            long totalBytes = total != null ? total.bytes() : partSum + gapBytes;
            long scale = Math.max(totalBytes, partSum + gapBytes);
            String figId = id("budget-" + slug(basis));
            Ref ref = new Ref("#" + figId, "budget (" + basis + ")");
            CiteLink totalSource = total == null ? null : link(total.cite(), basis + " " + total.label() + " = " + Units.bytes(total.bytes()), ref);
            Figure totalFig = total == null ? null : fig(total.bytes());
            String totalLabel = total == null ? "" : total.label();
            if (scale <= 0) return new BudgetView(figId, basis, totalLabel, totalFig, totalSource, true, "", List.of(), null, null, List.of());
            List<String> unplaced = new ArrayList<>();
            StringBuilder svg = new StringBuilder();
            for (boolean c : new boolean[] {false, true}) {
                compact = c;
                W = c ? COMPACT_W : 960;
                X0 = c ? 8 : 12;
                BW = W - 2 * X0;
                List<String> u = new ArrayList<>();
                svg.append(section(() -> u.addAll(drawing(basis, budget, n))));
                if (!c) unplaced = u;
            }
            compact = false;
            W = 960;
            X0 = 12;
            BW = BAR_WIDTH;
            double denom = totalBytes > 0 ? totalBytes : scale;
            boolean over = partSum + gapBytes > totalBytes && total != null;

            // the same budget as a table, with the input line behind each figure
            List<BudgetRow> rows = new ArrayList<>();
            for (Report.BudgetLine l : budget) {
                String mark = switch (l.kind()) { case "gap" -> "!"; case "overlap" -> "~"; case "total" -> "="; default -> ""; };
                rows.add(new BudgetRow(l.kind(), mark, l.label(), fig(l.bytes()), pct(l.bytes() / denom),
                        link(l.cite(), basis + " " + l.label() + " = " + Units.bytes(l.bytes()), ref)));
            }
            return new BudgetView(figId, basis, totalLabel, totalFig, totalSource, false, svg.toString(), unplaced,
                    over ? fig(partSum + gapBytes) : null, over ? fig(totalBytes) : null, rows);
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

            b.append(fill(compact ? "svg-compact" : "svg-wide", "basis", basis, "w", f0(W), "h", f0(height), "pattern", pat,
                    "x", f1(X0), "y", f1(BAR_Y), "bw", f1(BW), "bh", f1(BAR_H)));
            double x = X0;
            int pi = 0;
            for (Report.BudgetLine p : parts) {
                double w = BW * Math.max(0, p.bytes()) / (double) scale;
                String fill = color(p.key(), pi++);
                String pct = pct(p.bytes() / denom);
                b.append(fill("svg-part", "key", p.key(), "x", f2(x), "y", f1(BAR_Y), "w", f2(w), "h", f1(BAR_H), "fill", fill, "sw", w > 3 ? "1" : "0",
                        "title", p.label() + ": " + Units.bytes(p.bytes()) + " (" + pct + ")"));
                segmentLabel(p.label(), p.bytes(), pct, x, w, "#10161f");
                legend.add(new Object[] {p, fill, "sw"});
                x += w;
            }
            if (gap != null) {
                String pct = pct(gapBytes / denom);
                b.append(fill("svg-gap", "x", f2(gapX), "y", f1(BAR_Y), "w", f2(gapW), "h", f1(BAR_H), "pattern", pat,
                        "title", gap.label() + ": " + Units.bytes(gapBytes) + " (" + pct + ")"));
                // the caption above the bar, pointing at the gap
                boolean right = gapX + gapW / 2 > X0 + BW / 2;
                double tx = right ? Math.min(X0 + BW, gapX + gapW) : gapX;
                b.append(fill("svg-gapcap", "x", f1(tx), "y", f1(BAR_Y - 9), "anchor", right ? "end" : "start", "figure", figSvg(gapBytes), "pct", pct));
                gapRow = new Object[] {gap, "url(#" + pat + ")", "sw gapsw"};
            }
            for (Report.BudgetLine o : overlaps) legend.add(new Object[] {o, "none", "sw overlapsw"});

            // verdict marks under the bar
            int k = 0;
            for (Mark m : marks) {
                double y = markTop + k++ * markStep;
                String stroke = switch (sev(m.v())) { case "critical" -> "#b3261e"; case "warning" -> "#b25e00"; default -> "#1f5fa8"; };
                double x1 = m.x1(), x2 = Math.max(m.x2(), m.x1() + 2);
                b.append(fill("svg-mark", "x1", f2(x1), "y", f1(y), "y2", f1(y + 7), "x2", f2(x2), "stroke", stroke));
                String text = m.v().code() + "  " + Units.bytes(m.v().bytes()) + " · " + pct(m.v().bytes() / denom) + " of the total · " + m.where();
                boolean right = x2 > X0 + BW * 0.55;
                String rest = pct(m.v().bytes() / denom) + " of the total · " + m.where();
                if (compact) {
                    // two lines: the code and its memory, then its share and place, cut to the drawing's width
                    String second = rest;
                    int max = (int) (BW / 7.2);
                    if (second.length() > max) second = second.substring(0, max - 1) + "…";
                    b.append(fill("svg-marktext-compact", "code", m.v().code(), "x", f1(right ? x2 : x1), "y", f1(y + 23), "anchor", right ? "end" : "start",
                            "stroke", stroke, "figure", figSvg(m.v().bytes()), "second", second, "title", text));
                } else
                    b.append(fill("svg-marktext", "code", m.v().code(), "x", f1(right ? x2 : x1), "y", f1(y + 23), "anchor", right ? "end" : "start",
                            "stroke", stroke, "figure", figSvg(m.v().bytes()), "rest", rest, "title", text));
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
                b.append(fill(compact ? "svg-foot-compact" : "svg-foot", "x", f1(X0), "y", f1(gridTop + rows * 22 + 12)));
            b.append(fill("svg-end"));
            return unplaced;
        }

        /** One legend row: swatch, label (cut to fit, whole in its tooltip), bytes and share right-aligned. */
        void legendRow(Report.BudgetLine l, String fill, String cls, double cx, double ry, double colW, double denom) {
            boolean isGap = l.kind().equals("gap"), isOverlap = l.kind().equals("overlap");
            String label = (isOverlap ? "~ " : "") + l.label();
            int maxChars = (int) ((colW - 22 - 150) / (isGap ? 8.0 : 7.4));
            String shown = label.length() > maxChars ? label.substring(0, Math.max(1, maxChars - 1)) + "…" : label;
            b.append(fill(isGap ? "svg-legend-gap" : isOverlap ? "svg-legend-overlap" : "svg-legend-part", "kind", l.kind(), "cls", cls, "x", f1(cx), "y", f1(ry),
                    "fill", fill, "tx", f1(cx + 22), "ty", f1(ry + 12), "shown", shown, "label", label, "bx", f1(cx + colW - 70), "bytes", l.bytes(),
                    "memory", Units.bytes(l.bytes()), "px", f1(cx + colW - 14), "share", pct(l.bytes() / denom)));
        }

        /** Label written inside a bar segment when it is wide enough. */
        void segmentLabel(String label, long bytes, String pct, double x, double w, String fill) {
            if (w >= 96) {
                int max = (int) ((w - 12) / 8.0);
                String name = label.length() > max ? label.substring(0, Math.max(1, max - 1)) + "…" : label;
                b.append(fill("svg-seglabel", "x", f1(x + 7), "y1", f1(BAR_Y + 20), "y2", f1(BAR_Y + 38), "fill", fill, "name", name, "figure", figSvg(bytes), "pct", pct));
            } else if (w >= 44) {
                b.append(fill("svg-seglabel-narrow", "x", f1(x + w / 2), "y", f1(BAR_Y + 29), "fill", fill, "pct", pct));
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

        List<VerdictCard> verdicts() {
            List<VerdictCard> cards = new ArrayList<>();
            int i = 1;
            for (Report.Verdict v : r.verdicts()) cards.add(verdict(v, i++));
            return cards;
        }

        VerdictCard verdict(Report.Verdict v, int i) {
            String id = anchors.get(v);
            Ref ref = new Ref("#" + id, v.code());
            List<Num> nums = new ArrayList<>();
            if (v.bytes() > 0) nums.add(memoryNum(v.bytes()));
            if (v.pages() > 0) nums.add(new PlainNum("pages", Units.count(v.pages())));
            nums.add(confidence(v.confidence()));
            if (!v.outrankedBy().isEmpty()) nums.add(new CodeNum("close runner-up to", codeRef(v.outrankedBy())));
            CiteList basis = cites(v.basis(), ref);
            EvidenceList evFor = items("Evidence for", "for", v.evidence(), ref);
            EvidenceList evAgainst = items("Evidence against", "against", v.against(), ref);
            List<NextCapture> next = next(v.next());
            return new VerdictCard(id, i, badge(v), v.code(), v.title(), nums, v.summary(), v.subject(), v.rule(), basis, evFor, evAgainst, next, tree(v, ref));
        }

        /** A verdict's memory: the figure carries its byte count (data-bytes), as every byte figure of the page does. */
        static MemoryNum memoryNum(long bytes) {
            return new MemoryNum(bytes, Units.bytes(bytes));
        }

        /** A confidence with what it means where it is shown: the legend as the label's tooltip, and a link to it written out. */
        static ConfidenceNum confidence(double c) {
            return new ConfidenceNum(Answer.LEGEND, conf(c));
        }

        /** A byte figure in HTML text: one rendering per byte count (Units.bytes), with the count in data-bytes. */
        static Figure fig(long bytes) {
            return new Figure(bytes, Units.bytes(bytes));
        }

        /** The same inside SVG text. */
        static String figSvg(long bytes) {
            return fill("svg-figure", "bytes", bytes, "text", Units.bytes(bytes));
        }

        static String f0(double v) { return String.format(Locale.ROOT, "%.0f", v); }

        static String f1(double v) { return String.format(Locale.ROOT, "%.1f", v); }

        static String f2(double v) { return String.format(Locale.ROOT, "%.2f", v); }

        EvidenceList items(String title, String cls, List<Report.EvidenceItem> items, Ref ref) {
            List<EvidenceLine> lines = new ArrayList<>();
            for (Report.EvidenceItem e : items)
                lines.add(new EvidenceLine(!cls.equals("for"), String.format(Locale.ROOT, "%.1f", e.weight()), e.text(), e.rule(), cites(e.cites(), ref)));
            return new EvidenceList(title, cls, lines);
        }

        CiteList cites(List<Report.Cite> cites, Ref ref) {
            List<CiteLine> lines = new ArrayList<>();
            for (Report.Cite c : cites) lines.add(new CiteLine(link(c, ref), c.fact(), c.context()));
            return new CiteList(lines);
        }

        static List<NextCapture> next(List<Report.Next> next) {
            return next.stream().map(x -> new NextCapture(x.command(), x.why())).toList();
        }

        TreeView tree(Report.Verdict v, Ref ref) {
            if (v.explanation() == null) return null;
            return new TreeView(anchors.get(v), v.code(), size(v.explanation()), node(v.explanation(), 0, ref));
        }

        static int size(Report.Node n) {
            int s = 1;
            for (Report.Node c : n.children()) s += size(c);
            return s;
        }

        TreeNode node(Report.Node n, int depth, Ref ref) {
            CiteLink cite = n.cite().isEmpty() ? null : link(n.cite(), n.kind().equals("fact") ? n.text() : "", ref);
            boolean kids = !n.children().isEmpty();
            List<TreeNode> children = new ArrayList<>();
            for (Report.Node c : n.children()) children.add(node(c, depth + 1, ref));
            return new TreeNode(n.kind(), slug(n.kind()), n.text(), n.rule(), cite, n.doc(), depth < 2 && kids, children);
        }

        // ------------------------------------------------------------------ the rest

        ConsideredView considered() {
            List<ConsideredCard> cards = new ArrayList<>();
            for (Report.Verdict v : r.considered()) {
                String id = anchors.get(v);
                Ref ref = new Ref("#" + id, v.code() + " (set aside)");
                List<Num> nums = new ArrayList<>();
                nums.add(confidence(v.confidence()));
                if (v.bytes() > 0) nums.add(memoryNum(v.bytes()));
                if (!v.outrankedBy().isEmpty()) nums.add(new CodeNum("outranked by", codeRef(v.outrankedBy())));
                EvidenceList against = items("What refuted it", "against", v.against(), ref);
                EvidenceList evFor = items("Evidence for", "for", v.evidence(), ref);
                List<NextCapture> next = next(v.next());
                cards.add(new ConsideredCard(id, v.code(), v.title(), nums, v.summary(), conf(v.confidence()), v.outrankedBy(), against, evFor, next, tree(v, ref)));
            }
            // the confidence legend is under the verdicts table; with no verdict there is no table, so it is here
            return new ConsideredView(cards, r.verdicts().isEmpty() ? Answer.LEGEND : null);
        }

        FindingsView findings() {
            List<FindingLine> lines = new ArrayList<>();
            for (Report.FindingView f : r.findings()) {
                String id = id("f-" + slug(f.code()));
                Ref ref = new Ref("#" + id, f.code());
                lines.add(new FindingLine(id, f.code(), f.bytes() > 0 ? fig(f.bytes()) : null, f.summary(), f.subject(), f.rule(), cites(f.cites(), ref)));
            }
            return new FindingsView(lines);
        }

        HostView host() {
            Ref ref = new Ref("#host", "host");
            List<HostRow> rows = new ArrayList<>();
            r.host().forEach((k, v) -> rows.add(new HostRow(k, TextReport.show(k, v.value()), v.how(), link(v.cite(), k + " = " + v.value() + " (" + v.how() + ")", ref))));
            return new HostView(rows);
        }

        InputView diagnostics() {
            var d = r.diagnostics();
            long read = d.files().stream().mapToLong(Report.FileView::lines).sum();
            long skipped = d.files().stream().mapToLong(Report.FileView::skipped).sum();
            List<FileRow> files = d.files().stream().map(f -> new FileRow(f.file(), f.format(), Units.count(f.lines()), Units.count(f.skipped()), f.problems(),
                    f.skipped() > 0 || f.problems() > 0 || f.format().equals("unknown"))).toList();
            List<MessageLine> messages = d.messages().stream()
                    .map(m -> new MessageLine(m.contains(": error: ") ? "error" : m.contains(": warning: ") ? "warning" : "info", m)).toList();
            List<MissingRow> missing = d.missing().stream().map(m -> new MissingRow(m.input(), m.hint())).toList();
            List<SectionRow> unknown = d.unknownSections().stream()
                    .map(s -> new SectionRow(s.cite(), s.command().isEmpty() ? "(no command)" : "crash> " + s.command(), s.lines())).toList();
            return new InputView(d.files().size(), Units.count(read), Units.count(skipped), files, messages, missing, unknown);
        }

        /** Every cited input range, grouped by file, in line order, with the facts read there and who cites it. */
        AppendixView appendix() {
            List<Line> all = new ArrayList<>(lines.values());
            all.sort(Comparator.comparing((Line l) -> l.file.equals("(derived)") ? 1 : 0).thenComparing(l -> l.file)
                    .thenComparingLong(l -> l.line).thenComparingLong(l -> l.lastLine).thenComparing(l -> l.cite));
            List<InputFile> files = new ArrayList<>();
            String file = null;
            List<InputLine> rows = null;
            for (Line l : all) {
                if (!l.file.equals(file)) {
                    file = l.file;
                    rows = new ArrayList<>();
                    files.add(new InputFile(file, rows));
                }
                String where = l.line <= 0 ? l.cite.equals(l.file) ? "" : l.cite
                        : l.lastLine > l.line ? l.line + "–" + l.lastLine : String.valueOf(l.line);
                List<BackLink> by = new ArrayList<>();
                l.citedBy.forEach((href, label) -> by.add(new BackLink(href, label)));
                rows.add(new InputLine(l.id, l.cite, where, List.copyOf(l.facts), String.join("; ", l.contexts), by));
            }
            return new AppendixView(files);
        }

        CodeRef codeRef(String code) {
            for (Map.Entry<Report.Verdict, String> e : anchors.entrySet())
                if (e.getKey().code().equals(code)) return new CodeRef(code, e.getValue());
            return new CodeRef(code, null);
        }
    }

    static String sev(Report.Verdict v) {
        String s = v.severity() == null ? "" : v.severity().toLowerCase(Locale.ROOT);
        return switch (s) { case "critical", "warning", "info" -> s; default -> "info"; };
    }

    static Badge badge(Report.Verdict v) {
        return new Badge(sev(v), v.severity().toUpperCase(Locale.ROOT));
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
            v.put("whenWhere", whenWhere == null ? "" : HtmlView.fill("when", "text", whenWhere));
            v.put("meta", meta);
            v.put("nav", HtmlView.each(nav, l -> HtmlView.fill("nav-link", "href", l[0], "label", l[1])));
            v.putAll(sections);
            v.put("schema", schema);
            v.put("script", SCRIPT);
            return PAGE.fill(v);
        }
    }

}
