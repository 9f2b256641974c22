package dev.leakdx.casecheck;

import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.KnowledgeBase;
import dev.leakdx.explain.Report;
import dev.leakdx.extract.ExtractorRegistry;
import dev.leakdx.facts.Units;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The tables of knowledge-base-docs/accuracy.md, regenerated from the case folders (each diagnosed
 * as a user would) and from the lab's result rows (lab/results/*.tsv from lab/lib/tabulate.py: each
 * lab run diagnosed with and without its proc-before/ baseline). Per family: the smallest leak found
 * as a share of RAM, with and without an earlier snapshot; and the false alarms (a warning or
 * critical verdict) over the healthy and lookalike captures.
 *
 * <p>Run: {@code java -cp target/classes:$(cat cp.txt) dev.leakdx.casecheck.Accuracy cases lab/results}
 * (AccuracyDocTest keeps the checked-in page in step).
 */
public final class Accuracy {
    private Accuracy() {}

    /** One case or lab row, judged. */
    public record Row(String source, String family, boolean healthy, boolean baseline, double sizeShare, long ram, String gotTop,
                      String severity, boolean detected, boolean falseAlarm) {}

    private static final Pattern SERIES = Pattern.compile("(?i)(proc-before|proc-t\\d+|proc\\.\\d+|meminfo\\.\\d{8}T\\d{4}.*|slabinfo\\.\\d{8}T\\d{4}.*)");

    public static List<Row> cases(Diagnoser d, Path casesDir) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Path dir : CaseCheck.caseFolders(casesDir)) {
            CaseExpectation exp = CaseExpectation.read(dir.resolve("expected.yaml"));
            Report r = CaseCheck.diagnose(d, dir, "accuracy");
            String want = exp.top();
            boolean healthy = want.equals("(none)") || "info".equals(exp.maxSeverity());
            long ram = r.host().containsKey("ram_bytes") ? Long.parseLong(r.host().get("ram_bytes").value()) : -1;
            String got = r.verdicts().isEmpty() ? "(none)" : r.verdicts().get(0).code();
            String sev = r.verdicts().isEmpty() ? "" : r.verdicts().get(0).severity();
            double share = -1;
            for (Report.Verdict v : r.verdicts()) if (v.code().equals(want) && ram > 0 && v.bytes() > 0) { share = v.bytes() / (double) ram; break; }
            boolean alarm = healthy && r.verdicts().stream().anyMatch(v -> !v.severity().equals("info"));
            rows.add(new Row(dir.getFileName().toString(), healthy ? "(healthy)" : want, healthy, hasSeries(dir), share, ram, got, sev,
                    !healthy && got.equals(want), alarm));
        }
        return rows;
    }

    /** {@link #lab(Path, Set)} with no case folder to leave out. */
    public static List<Row> lab(Path resultsDir) throws IOException { return lab(resultsDir, Set.of()); }

    /**
     * lab/results/*.tsv (lab/lib/tabulate.py), read by column name: {@code expected} (the top verdict a
     * right diagnosis gives, {@code (none)} for a healthy run), {@code healthy}, {@code size_pct} (share of
     * MemTotal), {@code memtotal_kb} (or {@code ram}: 2G), {@code leakdx_top}/{@code severity} (with the
     * proc-before/ baseline) and {@code top_without_baseline}/{@code severity_without_baseline}, and
     * {@code case} (the row's source: a case name is unique across the files). Each line gives two rows, with and without the baseline; the one with it is left out
     * when {@code case} names a case folder in {@code caseFolders}, which {@link #cases} already judged.
     */
    public static List<Row> lab(Path resultsDir, Set<String> caseFolders) throws IOException {
        List<Row> rows = new ArrayList<>();
        if (resultsDir == null || !Files.isDirectory(resultsDir)) return rows;
        List<Path> files;
        try (Stream<Path> s = Files.list(resultsDir)) { files = s.filter(p -> p.toString().endsWith(".tsv")).sorted().toList(); }
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            if (lines.isEmpty()) continue;
            Map<String, Integer> col = new HashMap<>();
            String[] head = lines.get(0).split("\t", -1);
            for (int i = 0; i < head.length; i++) col.put(head[i].strip(), i);
            for (String need : List.of("expected", "size_pct", "leakdx_top", "severity", "top_without_baseline", "severity_without_baseline", "case"))
                if (!col.containsKey(need)) throw new IOException(f + ": no column '" + need + "' in the header (lab/lib/tabulate.py writes it)");
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] c = line.split("\t", -1);
                java.util.function.Function<String, String> at = k -> col.containsKey(k) && col.get(k) < c.length ? c[col.get(k)].strip() : "";
                String expected = at.apply("expected");
                boolean healthy = expected.equals("(none)") || at.apply("healthy").equals("yes");
                String family = healthy ? "(healthy)" : expected;
                long kb = parseLong(at.apply("memtotal_kb"));
                long ram = kb > 0 ? kb * 1024 : ramBytes(at.apply("ram"));
                double pct = parseDouble(at.apply("size_pct"));
                double share = !healthy && pct > 0 ? pct / 100 : -1;
                String name = at.apply("case");
                for (boolean baseline : new boolean[] {true, false}) {
                    if (baseline && caseFolders.contains(name)) continue;
                    String got = at.apply(baseline ? "leakdx_top" : "top_without_baseline");
                    String sev = at.apply(baseline ? "severity" : "severity_without_baseline");
                    rows.add(new Row((name.isEmpty() ? f.getFileName().toString() : name) + (baseline ? "" : " (no proc-before)"), family, healthy, baseline, share, ram,
                            got, sev, !healthy && got.equals(expected), healthy && (sev.equals("warning") || sev.equals("critical"))));
                }
            }
        }
        return rows;
    }

    /** The Markdown tables: per family, and the false alarms. */
    public static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| family | leak captures | found | smallest found, with a baseline (share of RAM) | smallest found, one snapshot | missed |\n");
        b.append("|---|---|---|---|---|---|\n");
        Map<String, List<Row>> byFamily = new TreeMap<>();
        for (Row r : rows) if (!r.healthy()) byFamily.computeIfAbsent(r.family(), k -> new ArrayList<>()).add(r);
        for (Map.Entry<String, List<Row>> e : byFamily.entrySet()) {
            List<Row> l = e.getValue();
            long found = l.stream().filter(Row::detected).count();
            List<String> missed = l.stream().filter(r -> !r.detected()).map(r -> r.source() + " (got " + r.gotTop() + ")").toList();
            b.append("| ").append(e.getKey()).append(" | ").append(l.size()).append(" | ").append(found).append(" | ")
                    .append(smallest(l, true)).append(" | ").append(smallest(l, false)).append(" | ")
                    .append(missed.isEmpty() ? "-" : String.join("; ", missed)).append(" |\n");
        }
        List<Row> healthy = rows.stream().filter(Row::healthy).toList();
        List<String> alarms = healthy.stream().filter(Row::falseAlarm).map(r -> r.source() + " (" + r.gotTop() + " " + r.severity() + ")").toList();
        b.append("\n| healthy and lookalike captures | false alarms (warning or critical) | which |\n|---|---|---|\n");
        b.append("| ").append(healthy.size()).append(" | ").append(alarms.size()).append(" | ").append(alarms.isEmpty() ? "-" : String.join("; ", alarms)).append(" |\n");
        return b.toString();
    }

    private static String smallest(List<Row> l, boolean baseline) {
        Row best = null;
        for (Row r : l) if (r.detected() && r.baseline() == baseline && r.sizeShare() > 0 && (best == null || r.sizeShare() < best.sizeShare())) best = r;
        return best == null ? "-" : Units.pct(best.sizeShare()) + " of " + Units.bytes(best.ram()) + " (" + best.source() + ")";
    }

    private static boolean hasSeries(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.anyMatch(p -> SERIES.matcher(p.getFileName().toString()).matches());
        }
    }

    private static long parseLong(String s) {
        try { return Long.parseLong(s.strip()); } catch (NumberFormatException e) { return -1; }
    }

    private static double parseDouble(String s) {
        try { return Double.parseDouble(s.strip()); } catch (NumberFormatException e) { return -1; }
    }

    /** "2G", "512M" or a byte count. */
    private static long ramBytes(String s) {
        String t = s.strip().toUpperCase(Locale.ROOT);
        long mult = t.endsWith("G") ? 1L << 30 : t.endsWith("M") ? 1L << 20 : 1;
        return mult == 1 ? parseLong(t) : Math.round(parseDouble(t.substring(0, t.length() - 1)) * mult);
    }

    public static void main(String[] args) throws Exception {
        Path cases = Path.of(args.length > 0 ? args[0] : "cases");
        Path lab = args.length > 1 ? Path.of(args[1]) : Path.of("lab/results");
        Diagnoser d = new Diagnoser(KnowledgeBase.load(Path.of("rules")), ExtractorRegistry.load(Path.of("facts-extractors")));
        List<Row> rows = new ArrayList<>(cases(d, cases));
        Set<String> folders = new HashSet<>();
        for (Path dir : CaseCheck.caseFolders(cases)) folders.add(dir.getFileName().toString());
        rows.addAll(lab(lab, folders));
        System.out.print(markdown(rows));
    }
}
