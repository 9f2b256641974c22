package dev.leakdx.casecheck;

import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.explain.Explainer;
import dev.leakdx.explain.Report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Checks a diagnosis against a case's expectation: one implementation for {@code mvn verify}
 * (CaseFixturesTest) and for {@code leakdx rules test}, so what an expert sees while editing
 * rules is exactly what the build will judge.
 */
public final class CaseCheck {
    private CaseCheck() {}

    /** The result for one case folder: what was expected and got at the top, and every unmet expectation. */
    public record Outcome(String name, String expectedTop, String gotTop, List<String> problems, Report report, String knownMiss) {
        public Outcome(String name, String expectedTop, String gotTop, List<String> problems, Report report) {
            this(name, expectedTop, gotTop, problems, report, null);
        }
        /** The expectation is met; for a known miss, the case still misses (a fixed miss must lose its mark). */
        public boolean passed() { return knownMiss == null ? problems.isEmpty() : !problems.isEmpty(); }
        public boolean isKnownMiss() { return knownMiss != null; }
        /** What a failing outcome prints: the unmet expectations, or that a known miss now passes. */
        public List<String> failures() {
            if (knownMiss == null) return problems;
            return problems.isEmpty() ? List.of("marked known_miss (" + knownMiss + ") but every expectation now holds: remove the mark") : List.of();
        }
    }

    /** Sub-folders of {@code casesDir} holding an expected.yaml, sorted by name. */
    public static List<Path> caseFolders(Path casesDir) throws IOException {
        if (!Files.isDirectory(casesDir)) throw new IOException(casesDir + " is not a folder");
        try (Stream<Path> s = Files.list(casesDir)) {
            return s.filter(d -> Files.isRegularFile(d.resolve("expected.yaml"))).sorted().toList();
        }
    }

    /** Diagnoses the folder as a user would (the folder is the capture). */
    public static Report diagnose(Diagnoser d, Path dir, String tool) throws IOException {
        try (Capture c = CaptureOpener.open(dir)) {
            return new Explainer(d.diagnose(c), tool).explain();
        }
    }

    /** Reads the folder's expected.yaml, diagnoses the folder and checks; an unreadable expectation is a problem, not a crash. */
    public static Outcome run(Diagnoser d, Path dir, String tool) throws IOException {
        String name = dir.getFileName().toString();
        CaseExpectation exp;
        try {
            exp = CaseExpectation.read(dir.resolve("expected.yaml"));
        } catch (IOException e) {
            return new Outcome(name, "?", "?", List.of("expected.yaml unreadable: " + e.getMessage().replaceAll("\\s+", " ")), null);
        }
        return check(name, exp, diagnose(d, dir, tool));
    }

    public static Outcome check(String name, CaseExpectation exp, Report r) {
        String top = r.verdicts().isEmpty() ? "(none)" : r.verdicts().get(0).code();
        List<String> problems = new ArrayList<>();
        if (!exp.top().equals(top)) problems.add("top verdict: expected " + exp.top() + ", got " + top + " " + codes(r.verdicts()));
        if (exp.exitCode() != null && exp.exitCode() != r.exitCode())
            problems.add("exit code: expected " + exp.exitCode() + ", got " + r.exitCode());
        for (CaseExpectation.VerdictExpectation v : exp.verdicts()) {
            Report.Verdict got = r.verdicts().stream().filter(x -> x.code().equals(v.code())).findFirst().orElse(null);
            if (got == null) { problems.add("missing verdict " + v.code() + "; got " + codes(r.verdicts())); continue; }
            if (v.bytes() != null && Math.abs(got.bytes() - v.bytes()) > v.tolerance() * v.bytes())
                problems.add(v.code() + " bytes: expected " + v.bytes() + " +-" + v.tolerance() * 100 + "%, got " + got.bytes());
            if (v.pages() != null && v.pages() != got.pages())
                problems.add(v.code() + " pages: expected " + v.pages() + ", got " + got.pages());
            if (v.severity() != null && !v.severity().equals(got.severity()))
                problems.add(v.code() + " severity: expected " + v.severity() + ", got " + got.severity());
        }
        for (String c : exp.considered())
            if (r.considered().stream().noneMatch(x -> x.code().equals(c)))
                problems.add("expected " + c + " under considered; considered = " + codes(r.considered()));
        for (String c : exp.absent())
            if (r.verdicts().stream().anyMatch(x -> x.code().equals(c))) problems.add(c + " must not be a verdict");
        for (String f : exp.findings())
            if (r.findings().stream().noneMatch(x -> x.code().equals(f))) problems.add("missing finding " + f);
        if (exp.maxSeverity() != null) {
            int max = rank(exp.maxSeverity());
            for (Report.Verdict v : r.verdicts())
                if (rank(v.severity()) > max) problems.add("verdict " + v.code() + " is " + v.severity() + ", above " + exp.maxSeverity());
        }
        exp.host().forEach((k, want) -> {
            Report.HostValue hv = r.host().get(k);
            if (hv == null || !hv.value().equals(want))
                problems.add("host " + k + ": expected " + want + ", got " + (hv == null ? "nothing" : hv.value()));
        });
        String allCites = citesOf(r);
        for (String c : exp.cites()) if (!allCites.contains(c + "\n")) problems.add("no evidence cites " + c);
        return new Outcome(name, exp.top(), top, List.copyOf(problems), r, exp.isKnownMiss() ? exp.knownMiss() : null);
    }

    private static int rank(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) { case "critical" -> 2; case "warning" -> 1; default -> 0; };
    }

    private static String codes(List<Report.Verdict> vs) {
        return vs.stream().map(v -> v.code() + String.format(Locale.ROOT, "(%.2f)", v.confidence())).toList().toString();
    }

    /** Every citation anywhere in the report, one per line (evidence, findings, budget, host). */
    public static String citesOf(Report r) {
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

    /** Expected vs got top verdict per case, and how many match. */
    public static String confusionTable(List<Outcome> outcomes) {
        StringBuilder b = new StringBuilder("Case fixtures: expected top verdict vs got\n");
        b.append(String.format(Locale.ROOT, "  %-34s %-28s %-28s %s%n", "case", "expected", "got", ""));
        int ok = 0, known = 0;
        for (Outcome o : outcomes.stream().sorted(java.util.Comparator.comparing(Outcome::name)).toList()) {
            boolean match = o.expectedTop().equals(o.gotTop());
            if (match) ok++;
            if (o.isKnownMiss()) known++;
            String mark = o.isKnownMiss() ? (o.problems().isEmpty() ? "KNOWN MISS NOW PASSES" : "known miss: " + o.knownMiss())
                    : match ? "ok" : "MISMATCH";
            b.append(String.format(Locale.ROOT, "  %-34s %-28s %-28s %s%n", o.name(), o.expectedTop(), o.gotTop(), mark));
        }
        b.append("  ").append(ok).append(" of ").append(outcomes.size()).append(" cases match");
        if (known > 0) b.append(" (").append(known).append(" marked known_miss with their reason)");
        b.append('\n');
        return b.toString();
    }
}
