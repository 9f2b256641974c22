package dev.leakdx.engine;

import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.explain.Explainer;
import dev.leakdx.explain.Report;
import dev.leakdx.extract.ExtractorRegistry;
import dev.leakdx.extract.ResourceFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * leakdx starts from the precompiled executable model; experts' folders and the unit tests use
 * the DRL route. The two must conclude the same on every case folder, and the precompiled
 * model must be there (a rule the executable model rejects makes the build skip it silently but
 * for this test).
 */
class CompiledRulesTest {
    private static Diagnoser classic, compiled;

    @BeforeAll
    static void load() throws Exception {
        ExtractorRegistry specs = ExtractorRegistry.load(Path.of("facts-extractors"));
        KnowledgeBase packed = KnowledgeBase.load(null);
        compiled = new Diagnoser(packed, specs);
        classic = new Diagnoser(KnowledgeBase.load(Path.of("rules")), specs);
    }

    @Test
    void thePackedRulesStartFromTheirPrecompiledModel() {
        KnowledgeBase kb = compiled.knowledgeBase();
        assertEquals("executable model, precompiled", kb.route(),
                "the build did not pack an executable model matching rules/ (see the RuleModelCompiler lines of the Maven output)");
        assertEquals(classic.knowledgeBase().rules().keySet(), kb.rules().keySet());
        for (RuleInfo r : kb.rules().values()) {
            RuleInfo drl = classic.knowledgeBase().rule(r.name());
            assertEquals(drl.code(), r.code(), r.name());
            assertEquals(drl.family(), r.family(), r.name());
            assertEquals(drl.doc(), r.doc(), r.name());
            assertEquals(drl.file(), r.file(), r.name());
            assertTrue(r.file().endsWith(".drl"), r.name() + " file " + r.file());
        }
    }

    @Test
    void anEditedRuleIsNeverServedFromAStaleModel() throws IOException {
        List<ResourceFolder.Item> drls = new ArrayList<>(ResourceFolder.read(null, "rules", ".drl"));
        assertNull(CompiledRules.loadPacked(drls).reason());
        ResourceFolder.Item first = drls.get(0);
        drls.set(0, new ResourceFolder.Item(first.name(), first.origin(), first.text() + "\n// edited\n"));
        CompiledRules.Loaded stale = CompiledRules.loadPacked(drls);
        assertNull(stale.kieBase());
        assertEquals("the packed rules changed after they were compiled", stale.reason());
        assertNotEquals(CompiledRules.hash(drls), CompiledRules.hash(ResourceFolder.read(null, "rules", ".drl")));
    }

    @TestFactory
    Stream<DynamicTest> bothRoutesConcludeTheSameOnEveryCase() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("cases"))) {
            return s.filter(d -> Files.isRegularFile(d.resolve("expected.yaml"))).sorted().toList().stream()
                    .map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () ->
                            assertEquals(digest(classic, d), digest(compiled, d), "classic vs executable model on " + d)));
        }
    }

    /** What a reader of the report sees, in an order that does not depend on the order rules fired in. */
    private static List<String> digest(Diagnoser d, Path dir) throws IOException {
        Report r;
        try (Capture c = CaptureOpener.open(dir)) {
            r = new Explainer(d.diagnose(c), "t").explain();
        }
        List<String> out = new ArrayList<>();
        for (Report.Verdict v : r.verdicts()) out.add(verdict("verdict", v));
        for (Report.Verdict v : r.considered()) out.add(verdict("considered", v));
        for (Report.FindingView f : r.findings()) out.add("finding " + f.code() + " " + f.subject() + " " + f.bytes() + " " + f.summary());
        for (Report.BudgetLine b : r.budget()) out.add("budget " + b.basis() + " " + b.key() + " " + b.bytes() + " " + b.cite());
        out.add("exit " + r.exitCode());
        out.sort(null);
        return out;
    }

    private static String verdict(String kind, Report.Verdict v) {
        List<String> ev = new ArrayList<>();
        for (Report.EvidenceItem e : v.evidence()) ev.add(e.rule() + "=" + e.weight());
        for (Report.EvidenceItem e : v.against()) ev.add(e.rule() + "=" + e.weight());
        ev.sort(null);
        return String.format(Locale.ROOT, "%s %s %s %.4f %d %d %s %s", kind, v.code(), v.severity(), v.confidence(), v.bytes(), v.pages(), ev, v.summary());
    }
}
