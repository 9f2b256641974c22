package dev.leakdx.rules;

import dev.leakdx.cli.CliRun;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.KnowledgeBase;
import dev.leakdx.extract.ExtractorRegistry;
import dev.leakdx.facts.VmallocInfoEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worked example of knowledge-base-docs/authoring.md, step by step as the guide runs it:
 * the case fails with the packed rules, passes once vmalloc.drl is in the rules folder,
 * --explain-rule shows the near misses the guide quotes, and the rule's unit test.
 */
class AuthoringExampleTest {
    static final Path EXAMPLE = Path.of("src/test/resources/authoring-example");
    static final String RULE = "One caller's vmalloc areas hold a large share of memory";
    @TempDir static Path tmp;
    static Path rules;

    /** cp -r rules my-rules && cp .../vmalloc.drl my-rules/ */
    @BeforeAll static void rulesWithTheExample() throws IOException {
        rules = tmp.resolve("my-rules");
        Files.createDirectories(rules);
        try (Stream<Path> s = Files.list(Path.of("rules"))) {
            for (Path p : s.toList()) Files.copy(p, rules.resolve(p.getFileName().toString()));
        }
        Files.copy(EXAMPLE.resolve("rules/vmalloc.drl"), rules.resolve("vmalloc.drl"));
    }

    @Test void theCaseFailsWithoutTheRuleAndPassesWithIt() {
        CliRun before = CliRun.of("rules", "test", EXAMPLE.resolve("cases").toString());
        assertEquals(1, before.exit(), before.err());
        assertTrue(before.out().contains("FAIL  vmalloc-caller-built               expected VMALLOC_CALLER_LEAK          got UNACCOUNTED_KERNEL_MEMORY"), before.out());

        CliRun after = CliRun.of("rules", "test", EXAMPLE.resolve("cases").toString(), "--rules", rules.toString());
        assertEquals(0, after.exit(), after.out() + after.err());
        assertTrue(after.out().contains("PASS  vmalloc-caller-built"), after.out());
        assertTrue(after.out().contains("summary: 1 cases, 1 passed, 0 failed"), after.out());
    }

    @Test void explainRuleOnCapturesWhereItDoesNotFire() {
        CliRun lab = CliRun.of("diagnose", "src/test/resources/cases/lab-baseline-proc", "--rules", rules.toString(), "--explain-rule", "VMALLOC_CALLER_LEAK");
        assertEquals(0, lab.exit(), lab.err());
        assertTrue(lab.out().contains("did NOT fire on lab-baseline-proc: pattern 6 of 6 matched nothing"), lab.out());
        assertTrue(lab.out().contains("vmalloc.drl:18]: matched (89 ways so far)"), "89 areas own pages: " + lab.out());
        assertTrue(lab.out().contains("vmalloc.drl:19]: matched (9 ways so far)"), "9 distinct callers: " + lab.out());
        assertTrue(lab.out().contains("pattern 6 `eval( (long) (double) $pages * $ps.asLong() > Math.max(128L << 20, $t.bytes() / 20) )`"), lab.out());

        CliRun oom = CliRun.of("diagnose", "src/test/resources/cases/memcg-oom-leaker-lkml", "--rules", rules.toString(), "--explain-rule", RULE);
        assertTrue(oom.out().contains("first constraint no fact passes: `source == \"meminfo\"` (the first one)"), oom.out());
        assertTrue(oom.out().contains("MemCounter oom-memcg memory limit = 512 MiB [dmesg.txt:37]"), oom.out());
    }

    @Test void unitTestOfTheRule() throws Exception {
        Diagnoser d = new Diagnoser(KnowledgeBase.load(rules), ExtractorRegistry.load(Path.of("facts-extractors")));
        VmallocInfoEntry a = new VmallocInfoEntry(0, 0, (256L << 20) + 4096, "leakdemo_alloc_ring+0x2a/0x60 [leakdemo]", 65536, "vmalloc", at("proc/vmallocinfo", 61));
        VmallocInfoEntry b = new VmallocInfoEntry(0, 0, (256L << 20) + 4096, "leakdemo_alloc_ring+0x2a/0x60 [leakdemo]", 65536, "vmalloc", at("proc/vmallocinfo", 62));
        VmallocInfoEntry other = new VmallocInfoEntry(0, 0, 20480, "kernel_clone+0xbf/0x430", 4, "vmalloc", at("proc/vmallocinfo", 59));
        Hypothesis h = one(fire(d, RULE, SlabRulesTest.mi("MemTotal", 2L << 20, 1), host("page_size", 4096), a, b, other), Hypothesis.class);
        assertEquals(512L << 20, h.bytes(), "two areas of 65,536 pages; kernel_clone's is another caller");
        assertEquals(131_072, h.pages());
        assertEquals("vmalloc by leakdemo_alloc_ring [leakdemo]", h.subject());
        assertEquals("critical", h.severity()); // 512 MiB of 2 GiB
        // the same two areas on a 16 GiB host are 3.1%, under 5%: no hypothesis
        none(fire(d, RULE, SlabRulesTest.mi("MemTotal", 16L << 20, 1), host("page_size", 4096), a, b, other), Hypothesis.class);

        Hypothesis unaccounted = hypothesis("UNACCOUNTED_KERNEL_MEMORY", "memory in no counter");
        Evidence e = evidence(fire(d, "The vmalloc areas explain the memory in no counter", unaccounted, h));
        assertFalse(e.supports());
        assertTrue(e.text().contains("vmalloc'd by leakdemo_alloc_ring [leakdemo]"), e.text());
    }
}
