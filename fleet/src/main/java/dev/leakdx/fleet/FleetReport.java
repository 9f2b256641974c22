package dev.leakdx.fleet;

import dev.leakdx.report.MarkdownReport;
import dev.leakdx.report.Template;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fleet questions answered: each {@link FleetQuery} run with Spark SQL over the tables of one
 * {@code leakdx fleet} run (views {@code captures} and {@code verdicts}), as Markdown for a terminal
 * or an incident report and as one self-contained HTML page with a bar chart per question that
 * names one.
 */
final class FleetReport {
    /** Rows a section shows; the SQL's own LIMIT usually says fewer. */
    static final int MAX_ROWS = 100;

    /** One question's answer, or the error Spark gave for its SQL (the other questions still run). */
    record Section(FleetQuery query, List<String> columns, List<List<Object>> rows, String error) {}

    private final List<Section> sections;
    private final long captures, verdicts;

    private FleetReport(List<Section> sections, long captures, long verdicts) {
        this.sections = sections;
        this.captures = captures;
        this.verdicts = verdicts;
    }

    List<Section> sections() { return sections; }

    static FleetReport run(SparkSession spark, String out, List<FleetQuery> queries) {
        String base = out.replaceAll("/+$", "");
        for (String table : List.of("captures", "verdicts")) {
            try {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(base + "/" + table);
                if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p))
                    throw new IllegalArgumentException(out + ": no " + table + "/ table there; `leakdx fleet CAPTURES -o " + out + "` writes it");
            } catch (IOException e) {
                throw new IllegalArgumentException(out + ": " + e.getMessage(), e);
            }
        }
        spark.read().parquet(base + "/captures").createOrReplaceTempView("captures");
        spark.read().parquet(base + "/verdicts").createOrReplaceTempView("verdicts");
        long n = spark.sql("SELECT count(*) FROM captures").first().getLong(0);
        long v = spark.sql("SELECT count(*) FROM verdicts").first().getLong(0);
        List<Section> sections = new ArrayList<>();
        for (FleetQuery q : queries) {
            try {
                var df = spark.sql(q.sql());
                List<String> cols = Arrays.asList(df.columns());
                List<List<Object>> rows = new ArrayList<>();
                for (Row r : df.takeAsList(MAX_ROWS)) {
                    List<Object> cells = new ArrayList<>();
                    for (int i = 0; i < r.size(); i++) cells.add(r.get(i));
                    rows.add(cells);
                }
                sections.add(new Section(q, cols, rows, null));
            } catch (Exception e) {
                String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
                sections.add(new Section(q, List.of(), List.of(), q.file() + ": " + msg));
            }
        }
        return new FleetReport(sections, n, v);
    }

    /** A cell as text: lists (collect_set) joined, doubles without exponent noise. */
    static String cell(Object o) {
        if (o == null) return "";
        if (o instanceof scala.collection.Iterable<?> it) {
            List<String> parts = new ArrayList<>();
            it.foreach(x -> parts.add(cell(x)));
            return String.join(", ", parts.stream().sorted().toList());
        }
        if (o instanceof List<?> l) return String.join(", ", l.stream().map(FleetReport::cell).sorted().toList());
        if (o instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) return d.toString();
            // whole numbers as they are (228864), others to two decimals (155.9, 0.95), tiny ones to three
            // significant digits (0.00123); never an exponent
            java.math.BigDecimal b = new java.math.BigDecimal(d);
            if (d == Math.rint(d)) return b.toBigInteger().toString();
            b = Math.abs(d) >= 0.01 ? b.setScale(2, java.math.RoundingMode.HALF_UP) : b.round(new java.math.MathContext(3));
            return b.stripTrailingZeros().toPlainString();
        }
        if (o instanceof java.math.BigDecimal b) return b.stripTrailingZeros().toPlainString();
        return o.toString();
    }

    String markdown() {
        StringBuilder b = new StringBuilder("# Fleet report\n\n");
        b.append(captures).append(" captures, ").append(verdicts).append(" verdicts.\n\n");
        for (Section s : sections) {
            b.append("## ").append(md(s.query().title())).append("\n\n");
            if (!s.query().about().isEmpty()) b.append(md(s.query().about())).append("\n\n");
            b.append("_From ").append(md(s.query().file())).append("._\n\n");
            if (s.error() != null) {
                b.append("**The question could not be answered:** ").append(md(s.error())).append("\n\n");
                continue;
            }
            if (s.rows().isEmpty()) {
                b.append("No rows: nothing in these captures answers it.\n\n");
                continue;
            }
            b.append('|');
            for (String c : s.columns()) b.append(' ').append(md(c)).append(" |");
            b.append("\n|");
            for (int i = 0; i < s.columns().size(); i++) b.append(" --- |");
            b.append('\n');
            for (List<Object> r : s.rows()) {
                b.append('|');
                for (Object o : r) b.append(' ').append(md(cell(o))).append(" |");
                b.append('\n');
            }
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * Text from the tables is capture text, untrusted: escaped as the CLI's Markdown report escapes it (HTML
     * inert, Markdown punctuation and table pipes escaped, one line), so a host or cache name renders as itself.
     */
    static String md(String s) {
        return MarkdownReport.esc(s);
    }

    /** The fragment html/NAME.html (beside this class) filled with name/value pairs; values HTML-escaped unless the fragment says {{{raw}}}. */
    static String fill(String fragment, Object... kv) {
        Template t = FRAGMENTS.computeIfAbsent(fragment, f -> Template.resource("/dev/leakdx/fleet/html/" + f + ".html"));
        Map<String, String> v = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) v.put((String) kv[i], kv[i + 1] == null ? "" : String.valueOf(kv[i + 1]));
        return t.fill(v);
    }

    private static final Map<String, Template> FRAGMENTS = new ConcurrentHashMap<>();

    /** One self-contained page: each question's chart (when it names one) above its table. */
    String html() {
        StringBuilder sections = new StringBuilder();
        for (Section s : sections()) {
            String body;
            if (s.error() != null) body = fill("error", "error", s.error());
            else if (s.rows().isEmpty()) body = fill("empty");
            else {
                StringBuilder head = new StringBuilder(), rows = new StringBuilder();
                for (String c : s.columns()) head.append(fill("th", "name", c));
                for (List<Object> r : s.rows()) {
                    StringBuilder cells = new StringBuilder();
                    for (Object o : r) cells.append(fill(o instanceof Number ? "td-number" : "td", "text", cell(o)));
                    rows.append(fill("tr", "cells", cells));
                }
                body = fill("table", "chart", chart(s), "head", head, "rows", rows);
            }
            sections.append(fill("section", "title", s.query().title(),
                    "about", s.query().about().isEmpty() ? "" : fill("about", "about", s.query().about()),
                    "file", s.query().file(), "body", body));
        }
        return fill("page", "captures", captures, "verdicts", verdicts, "sections", sections);
    }

    /** A horizontal bar chart (inline SVG) of the section's chart value, one bar per row (at most 25). */
    static String chart(Section s) {
        FleetQuery q = s.query();
        int vi = q.chartValue() == null ? -1 : s.columns().indexOf(q.chartValue());
        if (vi < 0) return "";
        List<Integer> li = q.chartLabels().stream().map(s.columns()::indexOf).filter(i -> i >= 0).toList();
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (List<Object> r : s.rows().subList(0, Math.min(25, s.rows().size()))) {
            if (!(r.get(vi) instanceof Number n)) continue;
            labels.add(String.join(" · ", li.stream().map(i -> cell(r.get(i))).toList()));
            values.add(n.doubleValue());
        }
        if (values.isEmpty()) return "";
        double max = values.stream().mapToDouble(Math::abs).max().orElse(1);
        int row = 20, labelW = 330, barW = 380, h = row * values.size() + 24;
        // about 7 px a character at 12 px: what fits left of the bars, cut with an ellipsis (the table has it whole)
        int fit = (labelW - 12) / 7;
        StringBuilder bars = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            double w = max == 0 ? 0 : Math.abs(values.get(i)) / max * barW;
            int y = i * row;
            String label = labels.get(i).length() > fit ? labels.get(i).substring(0, fit - 1) + "…" : labels.get(i);
            bars.append(fill("bar", "labelX", labelW - 6, "textY", y + 14, "label", label, "barX", labelW, "barY", y + 3,
                    "barWidth", String.format(Locale.ROOT, "%.1f", w), "barHeight", row - 6,
                    "valueX", String.format(Locale.ROOT, "%.1f", labelW + w + 4), "value", cell(values.get(i))));
        }
        return fill("chart", "label", q.title() + ": " + q.chartValue(), "width", labelW + barW + 90, "height", h,
                "bars", bars, "axisX", labelW, "axisY", h - 6, "value", q.chartValue());
    }

    /** Writes OUT/fleet-report.md and OUT/fleet-report.html (OUT may be any Hadoop file system URI). */
    void write(String out) throws IOException {
        String base = out.replaceAll("/+$", "");
        writeFile(base + "/fleet-report.md", markdown());
        writeFile(base + "/fleet-report.html", html());
    }

    private static void writeFile(String uri, String text) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
        FileSystem fs = p.getFileSystem(new org.apache.hadoop.conf.Configuration());
        try (FSDataOutputStream o = fs.create(p, true)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
