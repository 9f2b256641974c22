package dev.leakdx.fleet;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

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

    /** Markdown table cells: pipes escaped, line breaks flattened, HTML made inert. */
    static String md(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\r", " ").replace("\n", " ");
    }

    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    String html() {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>leakdx fleet report</title><style>"
                + "body{font:15px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:72em;padding:0 1em;color:#1d1d1f}"
                + "table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px;display:block;overflow-x:auto}"
                + "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#f2f2f2}"
                + "td.n{text-align:right;font-variant-numeric:tabular-nums}.err{color:#a00}.src{color:#666;font-size:13px}"
                + "svg text{font:12px system-ui,sans-serif}</style></head><body>\n<h1>Fleet report</h1>\n<p>")
                .append(captures).append(" captures, ").append(verdicts).append(" verdicts.</p>\n");
        for (Section s : sections) {
            b.append("<section><h2>").append(html(s.query().title())).append("</h2>\n");
            if (!s.query().about().isEmpty()) b.append("<p>").append(html(s.query().about())).append("</p>\n");
            b.append("<p class=\"src\">From ").append(html(s.query().file())).append(".</p>\n");
            if (s.error() != null) {
                b.append("<p class=\"err\">The question could not be answered: ").append(html(s.error())).append("</p></section>\n");
                continue;
            }
            if (s.rows().isEmpty()) {
                b.append("<p>No rows: nothing in these captures answers it.</p></section>\n");
                continue;
            }
            b.append(chart(s));
            b.append("<table><thead><tr>");
            for (String c : s.columns()) b.append("<th>").append(html(c)).append("</th>");
            b.append("</tr></thead><tbody>\n");
            for (List<Object> r : s.rows()) {
                b.append("<tr>");
                for (Object o : r) b.append(o instanceof Number ? "<td class=\"n\">" : "<td>").append(html(cell(o))).append("</td>");
                b.append("</tr>\n");
            }
            b.append("</tbody></table></section>\n");
        }
        return b.append("</body></html>\n").toString();
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
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "<svg role=\"img\" aria-label=\"%s\" viewBox=\"0 0 %d %d\" width=\"100%%\" style=\"max-width:%dpx\">",
                html(q.title() + ": " + q.chartValue()), labelW + barW + 90, h, labelW + barW + 90));
        for (int i = 0; i < values.size(); i++) {
            double w = max == 0 ? 0 : Math.abs(values.get(i)) / max * barW;
            int y = i * row;
            // about 7 px a character at 12 px: what fits left of the bars, cut with an ellipsis (the table has it whole)
            int fit = (labelW - 12) / 7;
            String label = labels.get(i).length() > fit ? labels.get(i).substring(0, fit - 1) + "…" : labels.get(i);
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", labelW - 6, y + 14, html(label)));
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#3b6ea5\"/>", labelW, y + 3, w, row - 6));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>", labelW + w + 4, y + 14, html(cell(values.get(i)))));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", labelW, h - 6, html(q.chartValue())));
        return b.append("</svg>\n").toString();
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
