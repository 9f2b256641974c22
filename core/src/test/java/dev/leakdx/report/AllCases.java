package dev.leakdx.report;

import dev.leakdx.TestKnowledge;
import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.explain.Explainer;
import dev.leakdx.explain.Report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The report of every case folder, diagnosed once per test JVM for the report tests that look at all of them. */
final class AllCases {
    private static Map<String, Report> reports;

    private AllCases() {}

    static synchronized Map<String, Report> reports() throws Exception {
        if (reports == null) {
            Map<String, Report> out = new LinkedHashMap<>();
            try (Stream<Path> cases = Files.list(Path.of("cases"))) {
                for (Path c : cases.filter(Files::isDirectory).sorted().toList())
                    try (Capture cap = CaptureOpener.open(c)) {
                        out.put(c.getFileName().toString(), new Explainer(TestKnowledge.diagnoser().diagnose(cap), "leakdx test").explain());
                    }
            }
            reports = out;
        }
        return reports;
    }
}
