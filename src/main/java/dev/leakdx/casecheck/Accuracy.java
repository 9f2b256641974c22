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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The tables of knowledge-base-docs/accuracy.md, regenerated from the case folders (each diagnosed
 * as a user would) and from the lab's result rows (lab/results/*.tsv: scenario, kernel, ram,
 * size_pct, truth_bytes, leakdx_top, leakdx_bytes, severity). Per family: the smallest leak found
 * as a share of RAM, with and without an earlier snapshot; and the false alarms (a warning or
 * critical verdict) over the healthy and lookalike captures.
 *
 * <p>Run: {@code java -cp target/classes:$(cat cp.txt) dev.leakdx.casecheck.Accuracy src/test/resources/cases lab/results}
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

    /** lab/results/*.tsv rows; a scenario named healthy* or baseline* is a healthy run; any other starts with its family's code, in any case, up to a - or @ (slab_leak-1pct). */
    public static List<Row> lab(Path resultsDir) throws IOException {
        List<Row> rows = new ArrayList<>();
        if (resultsDir == null || !Files.isDirectory(resultsDir)) return rows;
        List<Path> files;
        try (Stream<Path> s = Files.list(resultsDir)) { files = s.filter(p -> p.toString().endsWith(".tsv")).sorted().toList(); }
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (String line : lines) {
                String[] c = line.split("\t", -1);
                if (c.length < 8 || c[0].equals("scenario") || line.startsWith("#")) continue;
                String scenario = c[0];
                boolean healthy = scenario.startsWith("healthy") || scenario.startsWith("baseline");
                String family = healthy ? "(healthy)" : scenario.replaceAll("[-@].*$", "").toUpperCase(Locale.ROOT);
                long ram = parseLong(c[2]);
                double share = c[3].isBlank() ? -1 : Double.parseDouble(c[3]) / 100;
                boolean baseline = scenario.contains("baseline") && !healthy;
                String sev = c[7];
                boolean detected = !healthy && !c[5].isBlank() && !c[5].equals("(none)") && c[5].startsWith(family);
                rows.add(new Row(f.getFileName() + ":" + scenario, family, healthy, baseline, share, ram, c[5], sev, detected,
                        healthy && (sev.equals("warning") || sev.equals("critical"))));
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

    public static void main(String[] args) throws Exception {
        Path cases = Path.of(args.length > 0 ? args[0] : "src/test/resources/cases");
        Path lab = args.length > 1 ? Path.of(args[1]) : Path.of("lab/results");
        Diagnoser d = new Diagnoser(KnowledgeBase.load(Path.of("rules")), ExtractorRegistry.load(Path.of("facts-extractors")));
        List<Row> rows = new ArrayList<>(cases(d, cases));
        rows.addAll(lab(lab));
        System.out.print(markdown(rows));
    }
}
