package dev.leakdx.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.leakdx.TestKnowledge;
import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.explain.Explainer;
import dev.leakdx.explain.Report;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every folder under src/test/resources/cases with an expected.yaml is diagnosed as a user
 * would (the folder is the capture) and checked against it: top verdict, verdict bytes within
 * tolerance, considered and absent codes, findings, host facts, exit code, cited lines.
 * A confusion table (expected top vs got) is printed at the end.
 */
class CaseFixturesTest {
    static final Path CASES = Path.of("src/test/resources/cases");
    private static final Map<String, String[]> CONFUSION = new TreeMap<>();

    @TestFactory
    Stream<DynamicTest> everyCaseFolderMatchesItsExpectation() throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(CASES)) {
            dirs = s.filter(d -> Files.isRegularFile(d.resolve("expected.yaml"))).sorted().toList();
        }
        assertFalse(dirs.isEmpty(), "no case folders under " + CASES);
        return dirs.stream().map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> check(d)));
    }

    static Report diagnose(Path dir) throws IOException {
        try (Capture c = CaptureOpener.open(dir)) {
            return new Explainer(TestKnowledge.diagnoser().diagnose(c), "leakdx test").explain();
        }
    }

    private static void check(Path dir) throws IOException {
        JsonNode exp = new ObjectMapper(new YAMLFactory()).readTree(dir.resolve("expected.yaml").toFile()).path("expect");
        Report r = diagnose(dir);
        String name = dir.getFileName().toString();
        String top = r.verdicts().isEmpty() ? "(none)" : r.verdicts().get(0).code();
        String wantTop = exp.path("top").asText("(none)");
        CONFUSION.put(name, new String[] {wantTop, top});
        List<String> problems = new ArrayList<>();

        if (!wantTop.equals(top)) problems.add("top verdict: expected " + wantTop + ", got " + top + " " + codes(r.verdicts()));
        if (exp.has("exit_code") && exp.get("exit_code").asInt() != r.exitCode())
            problems.add("exit code: expected " + exp.get("exit_code").asInt() + ", got " + r.exitCode());
        for (JsonNode v : exp.path("verdicts")) {
            String code = v.path("code").asText();
            Report.Verdict got = r.verdicts().stream().filter(x -> x.code().equals(code)).findFirst().orElse(null);
            if (got == null) { problems.add("missing verdict " + code + "; got " + codes(r.verdicts())); continue; }
            if (v.has("bytes")) {
                long want = v.get("bytes").asLong();
                double tol = v.path("tolerance").asDouble(0.01);
                if (Math.abs(got.bytes() - want) > tol * want)
                    problems.add(code + " bytes: expected " + want + " +-" + tol * 100 + "%, got " + got.bytes());
            }
            if (v.has("pages") && v.get("pages").asLong() != got.pages())
                problems.add(code + " pages: expected " + v.get("pages").asLong() + ", got " + got.pages());
            if (v.has("severity") && !v.get("severity").asText().equals(got.severity()))
                problems.add(code + " severity: expected " + v.get("severity").asText() + ", got " + got.severity());
        }
        for (JsonNode c : exp.path("considered")) {
            if (r.considered().stream().noneMatch(x -> x.code().equals(c.asText())))
                problems.add("expected " + c.asText() + " under considered; considered = " + codes(r.considered()));
        }
        for (JsonNode c : exp.path("absent")) {
            if (r.verdicts().stream().anyMatch(x -> x.code().equals(c.asText())))
                problems.add(c.asText() + " must not be a verdict");
        }
        for (JsonNode f : exp.path("findings")) {
            if (r.findings().stream().noneMatch(x -> x.code().equals(f.asText())))
                problems.add("missing finding " + f.asText());
        }
        if (exp.has("max_severity")) {
            int max = rank(exp.get("max_severity").asText());
            for (Report.Verdict v : r.verdicts())
                if (rank(v.severity()) > max) problems.add("verdict " + v.code() + " is " + v.severity() + ", above " + exp.get("max_severity").asText());
        }
        exp.path("host").fields().forEachRemaining(e -> {
            Report.HostValue hv = r.host().get(e.getKey());
            if (hv == null || !hv.value().equals(e.getValue().asText()))
                problems.add("host " + e.getKey() + ": expected " + e.getValue().asText() + ", got " + (hv == null ? "nothing" : hv.value()));
        });
        String allCites = citesOf(r);
        for (JsonNode c : exp.path("cites"))
            if (!allCites.contains(c.asText() + "\n")) problems.add("no evidence cites " + c.asText());
        if (!problems.isEmpty()) fail(name + ":\n  " + String.join("\n  ", problems));
    }

    private static int rank(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) { case "critical" -> 2; case "warning" -> 1; default -> 0; };
    }

    private static String codes(List<Report.Verdict> vs) {
        return vs.stream().map(v -> v.code() + String.format(Locale.ROOT, "(%.2f)", v.confidence())).toList().toString();
    }

    /** Every citation anywhere in the report, one per line (evidence, findings, budget, host). */
    static String citesOf(Report r) {
        StringBuilder b = new StringBuilder();
        List<Report.Verdict> all = new ArrayList<>(r.verdicts());
        all.addAll(r.considered());
        for (Report.Verdict v : all) {
            v.basis().forEach(c -> b.append(c.cite()).append('\n'));
            for (Report.EvidenceItem e : v.evidence()) e.cites().forEach(c -> b.append(c.cite()).append('\n'));
            for (Report.EvidenceItem e : v.against()) e.cites().forEach(c -> b.append(c.cite()).append('\n'));
            collect(v.explanation(), b);
        }
        r.findings().forEach(f -> f.cites().forEach(c -> b.append(c.cite()).append('\n')));
        r.budget().forEach(l -> b.append(l.cite()).append('\n'));
        r.host().values().forEach(h -> b.append(h.cite()).append('\n'));
        return b.toString();
    }

    private static void collect(Report.Node n, StringBuilder b) {
        if (n == null) return;
        if (!n.cite().isEmpty()) b.append(n.cite()).append('\n');
        n.children().forEach(c -> collect(c, b));
    }

    @AfterAll
    static void printConfusionTable() {
        StringBuilder b = new StringBuilder("\nCase fixtures: expected top verdict vs got\n");
        b.append(String.format(Locale.ROOT, "  %-28s %-28s %-28s %s%n", "case", "expected", "got", ""));
        int ok = 0;
        for (var e : CONFUSION.entrySet()) {
            boolean match = e.getValue()[0].equals(e.getValue()[1]);
            if (match) ok++;
            b.append(String.format(Locale.ROOT, "  %-28s %-28s %-28s %s%n", e.getKey(), e.getValue()[0], e.getValue()[1], match ? "ok" : "MISMATCH"));
        }
        b.append("  ").append(ok).append(" of ").append(CONFUSION.size()).append(" cases match\n");
        System.out.println(b);
    }
}
