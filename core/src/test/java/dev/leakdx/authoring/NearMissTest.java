package dev.leakdx.authoring;

import dev.leakdx.TestKnowledge;
import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.cli.CliRun;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.Finding;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.RuleInfo;
import dev.leakdx.extract.ExtractorRegistry;
import dev.leakdx.extract.ResourceFolder;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.MemCounter;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --explain-rule on real case folders: the pattern and constraint that fail, the closest fact, and a rule that fires. */
class NearMissTest {
    static final Path CASES = Path.of("cases");
    static final String SLAB = "Unreclaimable slab is above its norm for this RAM: a slab leak";

    static List<NearMiss.Explanation> explain(String caseName, String what) throws Exception {
        List<ResourceFolder.Item> drls = ResourceFolder.read(Path.of("rules"), "rules", ".drl");
        NearMiss.Built built = NearMiss.build(drls, what);
        Diagnoser d = new Diagnoser(built.kb(), ExtractorRegistry.load(Path.of("facts-extractors")));
        try (Capture c = CaptureOpener.open(CASES.resolve(caseName))) {
            Diagnoser.Extraction e = d.extract(c);
            return NearMiss.run(built.plan(), d, c.name(), e.facts(), e.sink());
        }
    }

    @Test void slabLeakOnTheFragLabStopsAtTheSUnreclaimNorm() throws Exception {
        // lab-pfrag-proc: SUnreclaim is 7,592 kB (proc/meminfo:27), far under the SUnreclaim norm for 1.9 GiB (64 MiB + 3%)
        NearMiss.Explanation x = explain("lab-pfrag-proc", SLAB).get(0);
        assertEquals(SLAB, x.rule().name());
        assertEquals(0, x.firings());
        assertEquals(3, x.failing(), "pattern 4 (the SUnreclaim counter) fails");
        assertEquals(1, x.patterns().get(1).matches(), "MemTotal matched");
        assertEquals(1, x.patterns().get(2).matches(), "the norm is a fact like any other");
        assertEquals(0, x.patterns().get(3).matches());
        assertEquals(-1, x.patterns().get(4).matches(), "not reached");
        assertEquals(53, x.patterns().get(3).element().line(), "rules/slab.drl:53");
        assertTrue(x.patterns().get(3).element().text().startsWith("$u : MemCounter("));
        assertEquals("$n.exceeds(bytes, $t.bytes())", x.failingConstraint());
        assertEquals(4, x.constraintsBefore(), "source, host, snapshot and name hold");
        assertEquals(1, x.closestTotal());
        MemCounter closest = assertInstanceOf(MemCounter.class, x.closest().get(0));
        assertEquals("SUnreclaim", closest.name());
        assertEquals(7_592L * 1024, closest.bytes());
        assertEquals("proc/meminfo:27", ((Fact) closest).provenance().cite());
    }

    @Test void theCodeExplainsEveryRuleWithItAndANegatedPatternNamesTheFactThatBlocksIt() throws Exception {
        List<NearMiss.Explanation> xs = explain("lab-pfrag-proc", "SLAB_LEAK");
        assertEquals(List.of(SLAB, "One unreclaimable cache grew by most of SUnreclaim's growth: a slab leak in that cache",
                "One unreclaimable slab cache is far out of proportion with the others: a slab leak",
                "In a slabinfo series without meminfo, one unreclaimable cache full of objects in use rose at every reading since its lowest: a slab leak in progress",
                "An OOM report's unreclaimable slab table shows a slab leak"), xs.stream().map(x -> x.rule().name()).toList());
        NearMiss.Explanation oom = xs.get(4);
        assertEquals(1, oom.failing());
        assertEquals("not", oom.patterns().get(1).element().modifier());
        assertEquals("proc/meminfo:27", ((Fact) oom.closest().get(0)).provenance().cite());
    }

    @Test void aRuleThatFiresSaysWhatItConcluded() throws Exception {
        NearMiss.Explanation x = explain("memcg-oom-leaker-lkml", "MEMCG_LIMIT_OOM").get(0);
        assertEquals(1, x.firings());
        assertEquals(-1, x.failing());
        Hypothesis h = assertInstanceOf(Hypothesis.class, x.concluded().get(0));
        assertEquals("MEMCG_LIMIT_OOM", h.code());
        assertEquals(519_954_432L, h.bytes());
    }

    @Test void aRuleWhoseConclusionClosesItsOwnNotIsExplainedOnAnUnmodifiedSosreport() throws Exception {
        // healthy-ocp-master-sos: 5.28 GiB of its 7.79 GiB is in no meminfo counter, so the meminfo rule of
        // UNACCOUNTED_KERNEL_MEMORY fires and its Hypothesis closes the rule's own `not Hypothesis(...)`. The
        // probes once shared that rule's network, and this run died in Drools (NullPointerException in
        // RuleExecutor.removeDormantTuple) before anything was explained.
        List<NearMiss.Explanation> xs = explain("healthy-ocp-master-sos", "UNACCOUNTED_KERNEL_MEMORY");
        assertEquals(List.of("Memory in no counter grew at every snapshot: pages held outside every counter",
                "Memory that no meminfo counter explains is held by the kernel outside every counter",
                "The OOM report's own budget leaves memory in no counter"), xs.stream().map(x -> x.rule().name()).toList());

        NearMiss.Explanation meminfo = xs.get(1);
        assertEquals(1, meminfo.firings());
        Hypothesis h = assertInstanceOf(Hypothesis.class, meminfo.concluded().get(0));
        assertEquals("UNACCOUNTED_KERNEL_MEMORY", h.code());
        assertEquals(5_665_529_856L, h.bytes(), "the whole meminfo gap: no unmapped anon to take off");

        // one snapshot, no trend: the growth rule is blocked by the meminfo rule's conclusion
        NearMiss.Explanation growth = xs.get(0);
        assertEquals(0, growth.firings());
        assertEquals(0, growth.failing());
        assertTrue(growth.closest().contains(h), "the Hypothesis that blocks it is named: " + growth.closest());

        // the OOM-report rule only stands in when meminfo gives no gap; here it does
        NearMiss.Explanation oom = xs.get(2);
        assertEquals(0, oom.firings());
        assertEquals(0, oom.failing());
        Finding gap = assertInstanceOf(Finding.class, oom.closest().get(0));
        assertEquals("MEMINFO_GAP", gap.code());

        String text = NearMiss.render(xs, "healthy-ocp-master-sos");
        assertTrue(text.contains("  FIRED 1 time on healthy-ocp-master-sos\n  it concluded:\n    Hypothesis UNACCOUNTED_KERNEL_MEMORY [memory in no counter] 5.28 GiB"), text);
        assertTrue(text.contains("(this rule's own conclusion: it fired, then its `not` closed)"), text);
        assertTrue(text.contains("did NOT fire on healthy-ocp-master-sos: pattern 1 of 8 matched nothing"), text);
        assertTrue(text.contains("      Finding MEMINFO_GAP 5.28 GiB: 5.28 GiB (67.8% of MemTotal) is in no meminfo counter"), text);
    }

    @Test void fromTheCommandLine() {
        CliRun r = CliRun.of("diagnose", CASES.resolve("lab-pfrag-proc").toString(), "--explain-rule", SLAB,
                "--rules", "rules", "--extractors", "facts-extractors");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("did NOT fire on lab-pfrag-proc: pattern 4 of 6 matched nothing"), r.out());
        assertTrue(r.out().contains("pattern 4 `$u : MemCounter(source == \"meminfo\", host == \"\", snapshot == \"\", name == \"SUnreclaim\", "
                + "$n.exceeds(bytes, $t.bytes()))` [rules/slab.drl:53]: no fact matched"), r.out());
        assertTrue(r.out().contains("first constraint no fact passes: `$n.exceeds(bytes, $t.bytes())` (the 4 before it hold for 1 fact)"), r.out());
        assertTrue(r.out().contains("MemCounter meminfo SUnreclaim = 7.41 MiB [proc/meminfo:27]"), r.out());
        assertTrue(r.out().contains("pattern 5 `$pss : java.util.List() from collect( HostFact(key == \"page_size\") )` [rules/slab.drl:54]: not reached"), r.out());

        CliRun unknown = CliRun.of("diagnose", CASES.resolve("lab-pfrag-proc").toString(), "--explain-rule", "NO_SUCH_CODE");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("no rule has the code or name 'NO_SUCH_CODE'; codes: "), unknown.err());
    }

    @Test void everyCodeOfRulesListNamesTheRulesThatCarryIt() throws Exception {
        // the codes rules list prints come from the compiled rules' metadata; --explain-rule reads them off the DRL text
        List<ResourceFolder.Item> drls = ResourceFolder.read(Path.of("rules"), "rules", ".drl");
        Map<String, Set<String>> byCode = new TreeMap<>();
        for (RuleInfo i : TestKnowledge.diagnoser().knowledgeBase().rules().values())
            if (!i.code().isEmpty()) byCode.computeIfAbsent(i.code(), c -> new TreeSet<>()).add(i.name());
        assertTrue(byCode.size() > 100, byCode.keySet().toString());
        for (Map.Entry<String, Set<String>> e : byCode.entrySet()) {
            Set<String> planned = new TreeSet<>();
            NearMiss.plan(drls, e.getKey(), false).targets().forEach(r -> planned.add(r.name()));
            assertEquals(e.getValue(), planned, e.getKey());
        }
        // rules/trend.drl:272: a name that says "when" once hid the @code after it
        NearMiss.Plan plan = NearMiss.plan(drls, "MEMAVAILABLE_RUNS_OUT", false);
        assertEquals(List.of("MemAvailable falls at a steady rate: when it reaches zero"), plan.targets().stream().map(DrlRuleText::name).toList());
        assertEquals(272, plan.targets().get(0).line());
    }

    @Test void lhsIsCutAtTopLevelPatterns() {
        String drl = """
                package p;
                import dev.leakdx.facts.*;
                rule "r"
                    @code(X)
                when
                    $a : MemCounter(name == "a, b", // a comment (with a paren
                                    bytes > 0)
                    not MemCounter(name == "c")
                    $l : java.util.List() from collect( HostFact(key == "k") )
                    accumulate( $r : OomSlabRow(); $n : count($r) )
                    eval( $n > 0
                          && true )
                then
                end
                """;
        DrlRuleText r = DrlRuleText.parse("rules/x.drl", drl).get(0);
        assertEquals(3, r.line());
        assertEquals(List.of(6, 8, 9, 10, 11), r.lhs().stream().map(DrlRuleText.Element::line).toList());
        assertEquals(List.of("name == \"a, b\"", "bytes > 0"), r.lhs().get(0).constraints());
        assertEquals("$a", r.lhs().get(0).binding());
        assertEquals("not", r.lhs().get(1).modifier());
        assertTrue(!r.lhs().get(2).isPlainPattern() && !r.lhs().get(3).isPlainPattern() && !r.lhs().get(4).isPlainPattern());
        assertThrows(IllegalArgumentException.class, () -> NearMiss.plan(List.of(new ResourceFolder.Item("x.drl", "rules/x.drl", drl)), "Y", true));
    }
}
