package dev.leakdx.rules;

import dev.leakdx.cli.CliRun;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.KnowledgeBase;
import dev.leakdx.engine.NextCapture;
import dev.leakdx.engine.RuleInfo;
import dev.leakdx.extract.ExtractorRegistry;
import dev.leakdx.facts.VmallocInfoEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worked example of knowledge-base-docs/authoring.md, step by step as the guide runs it:
 * the case fails with the packed rules, passes once percpu.drl is in the rules folder, a DRL typo
 * is reported as file:line:col, --explain-rule shows the near misses the guide quotes, the docs
 * page lists every code, the catalogue includes the family, and the rules' unit tests.
 */
class AuthoringExampleTest {
    static final Path EXAMPLE = Path.of("src/test/resources/authoring-example");
    static final Path CASES = EXAMPLE.resolve("cases");
    static final String LEAK = "Per-CPU allocations hold a large share of memory";
    static final String CHUNKS = "The per-CPU pages are in chunks made after boot";
    static final String METADATA = "Per-CPU chunk metadata explains the memory in no counter";
    static final String NEXT = "To find who allocates per-CPU memory and never frees it";
    @TempDir static Path tmp;
    static Path rules;

    /** cp -r rules my-rules && cp src/test/resources/authoring-example/rules/percpu.drl my-rules/ */
    @BeforeAll static void rulesWithTheExample() throws IOException {
        rules = copyOfPackedRules("my-rules");
        Files.copy(EXAMPLE.resolve("rules/percpu.drl"), rules.resolve("percpu.drl"));
    }

    static Path copyOfPackedRules(String name) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(Path.of("rules"))) {
            for (Path p : s.toList()) Files.copy(p, dir.resolve(p.getFileName().toString()));
        }
        return dir;
    }

    /** The example adds a family: its file replaces no packed file and its codes are new. */
    @Test void theExampleCollidesWithNoPackedFamily() throws Exception {
        assertFalse(Files.exists(Path.of("rules/percpu.drl")), "the guide's cp would silently replace a packed family");
        List<String> packedCodes = new ArrayList<>();
        for (RuleInfo r : KnowledgeBase.load(Path.of("rules")).rules().values()) packedCodes.add(r.code());
        KnowledgeBase mine = KnowledgeBase.load(rules);
        assertEquals(packedCodes.size() + 4, mine.rules().size(), "every packed rule plus the example's four");
        for (RuleInfo r : mine.rules().values()) {
            if (!r.family().equals("percpu")) continue;
            assertFalse(packedCodes.contains(r.code()), r.code() + " is already a packed code");
        }
    }

    @Test void theCaseFailsWithoutTheRuleAndPassesWithIt() {
        // $ ./leakdx rules test src/test/resources/authoring-example/cases
        CliRun before = CliRun.of("rules", "test", CASES.toString());
        assertEquals(1, before.exit(), before.err());
        // the packed rules see the chunk metadata as vmalloc'd memory above its norm (pcpu_create_chunk, 98.8% of it)
        assertTrue(before.out().contains("FAIL  percpu-chunks-built                expected PERCPU_LEAK                  got VMALLOC_LEAK"), before.out());
        assertTrue(before.out().contains("missing verdict PERCPU_LEAK; got [VMALLOC_LEAK(0.95)]"), before.out());

        // $ ./leakdx rules test src/test/resources/authoring-example/cases --rules my-rules
        CliRun after = CliRun.of("rules", "test", CASES.toString(), "--rules", rules.toString());
        assertEquals(0, after.exit(), after.out() + after.err());
        assertTrue(after.out().contains("PASS  percpu-chunks-built                expected PERCPU_LEAK                  got PERCPU_LEAK"), after.out());
        assertTrue(after.out().contains("summary: 1 cases, 1 passed, 0 failed"), after.out());
    }

    @Test void theDiagnosisTheCaseExpects() {
        // $ ./leakdx diagnose src/test/resources/authoring-example/cases/percpu-chunks-built --rules my-rules
        CliRun r = CliRun.of("diagnose", CASES.resolve("percpu-chunks-built").toString(), "--rules", rules.toString(), "--width", "400");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.out().startsWith("2 findings: CRITICAL PERCPU_LEAK 256.5 MiB (0.88), INFO VMALLOC_LEAK 270.9 MiB (0.95)\n"), r.out());
        assertTrue(r.out().contains("1. CRITICAL PERCPU_LEAK  256.5 MiB  confidence 0.88"), r.out());
        assertTrue(r.out().contains("+ 129 per-CPU chunks made after boot (pcpu_get_vm_areas areas in vmallocinfo) span 258 MiB"), r.out());
        assertTrue(r.out().contains("2. INFO VMALLOC_LEAK  270.9 MiB  confidence 0.95"), r.out());
        assertTrue(r.out().contains("UNACCOUNTED_KERNEL_MEMORY (confidence 0.05)"), r.out());
        assertTrue(r.out().contains("- 267.6 MiB of it is per-CPU chunk metadata (516 pcpu_create_chunk areas in vmallocinfo)"), r.out());
    }

    /** A typo (the ':' after $p dropped) stops the run before any case, as file:line:col. */
    @Test void aDrlTypoIsReportedAsFileLineColumn() throws IOException {
        Path typo = copyOfPackedRules("typo-rules");
        String drl = Files.readString(EXAMPLE.resolve("rules/percpu.drl"));
        assertTrue(drl.contains("    $p : MemCounter(source == \"meminfo\""));
        Files.writeString(typo.resolve("percpu.drl"), drl.replace("    $p : MemCounter(", "    $p MemCounter("));
        CliRun r = CliRun.of("rules", "test", CASES.toString(), "--rules", typo.toString());
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().contains("leakdx: the rules do not compile:"), r.err());
        assertTrue(r.err().contains(typo.resolve("percpu.drl") + ":17:7: [ERR 102] Line 17:7 mismatched input 'MemCounter' in pattern in rule \"" + LEAK + "\""), r.err());
        assertFalse(r.out().contains("PASS") || r.out().contains("FAIL"), "no case runs: " + r.out());
    }

    @Test void explainRuleOnCapturesWhereItDoesNotFire() {
        // $ ./leakdx diagnose src/test/resources/cases/lab-baseline-proc --rules my-rules --explain-rule PERCPU_LEAK
        CliRun lab = CliRun.of("diagnose", "src/test/resources/cases/lab-baseline-proc", "--rules", rules.toString(), "--explain-rule", "PERCPU_LEAK");
        assertEquals(0, lab.exit(), lab.err());
        assertTrue(lab.out().contains("did NOT fire on lab-baseline-proc: pattern 2 of 2 matched nothing"), lab.out());
        assertTrue(lab.out().contains("percpu.drl:16]: matched (1 way so far)"), lab.out());
        assertTrue(lab.out().contains("first constraint no fact passes: `bytes > (64L << 20)` (the 4 before it hold for 1 fact)"), lab.out());
        assertTrue(lab.out().contains("MemCounter meminfo Percpu = 520 KiB [proc/meminfo:39]"), lab.out());

        // $ ./leakdx diagnose src/test/resources/cases/memcg-oom-leaker-lkml --rules my-rules --explain-rule PERCPU_LEAK
        CliRun oom = CliRun.of("diagnose", "src/test/resources/cases/memcg-oom-leaker-lkml", "--rules", rules.toString(), "--explain-rule", "PERCPU_LEAK");
        assertTrue(oom.out().contains("did NOT fire on memcg-oom-leaker-lkml: pattern 1 of 2 matched nothing"), oom.out());
        assertTrue(oom.out().contains("first constraint no fact passes: `source == \"meminfo\"` (the first one)"), oom.out());
        assertTrue(oom.out().contains("MemCounter oom-memcg memory limit = 512 MiB [dmesg.txt:37]"), oom.out());
        assertTrue(oom.out().contains("percpu.drl:17]: not reached"), oom.out());

        // the rule's name works as well as its code
        CliRun byName = CliRun.of("diagnose", "src/test/resources/cases/lab-baseline-proc", "--rules", rules.toString(), "--explain-rule", LEAK);
        assertEquals(lab.out(), byName.out());
    }

    /** The docs page lists every code (what RuleCatalogueTest checks for knowledge-base-docs/<family>.md). */
    @Test void docsPageAndCatalogue() throws Exception {
        String page = Files.readString(EXAMPLE.resolve("docs/percpu.md"));
        String tests = Files.readString(Path.of("src/test/java/dev/leakdx/rules/AuthoringExampleTest.java"));
        int percpu = 0;
        for (RuleInfo r : KnowledgeBase.load(rules).rules().values()) {
            if (!r.family().equals("percpu")) continue;
            percpu++;
            assertTrue(page.contains(r.code()), "docs/percpu.md does not mention " + r.code());
            assertTrue(tests.contains("\"" + r.name() + "\""), r.name() + " is named by no test");
            assertFalse(r.doc().isBlank(), r.code());
        }
        assertEquals(4, percpu);
        // $ ./leakdx rules catalogue --rules my-rules -o catalogue.md
        Path out = tmp.resolve("catalogue.md");
        CliRun r = CliRun.of("rules", "catalogue", "--rules", rules.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        String catalogue = Files.readString(out);
        assertTrue(catalogue.contains("### `PERCPU_LEAK`: " + LEAK), catalogue.substring(0, 400));
        assertTrue(catalogue.contains("### `PERCPU_METADATA_GAP`: " + METADATA), "catalogue");
    }

    /** The extractor step: `./leakdx formats` lists the formats read, and the example needs no new one. */
    @Test void formatsListsWhatTheExampleReads() {
        CliRun r = CliRun.of("formats");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("proc.meminfo"), r.out());
        assertTrue(r.out().contains("proc.vmallocinfo"), r.out());
        CliRun own = CliRun.of("rules", "test", CASES.toString(), "--rules", rules.toString(), "--extractors", "facts-extractors");
        assertEquals(0, own.exit(), own.out() + own.err());
    }

    static Hypothesis hypothesis(String code, String subject, long bytes) {
        return new Hypothesis(code, subject, "t", "warning", 0, bytes, -1, "s");
    }

    @Test void unitTestsOfTheRules() throws Exception {
        Diagnoser d = new Diagnoser(KnowledgeBase.load(rules), ExtractorRegistry.load(Path.of("facts-extractors")));
        // 256 MiB of Percpu on a 2 GiB host is 12.5 %: critical
        Hypothesis h = one(fire(d, LEAK, SlabRulesTest.mi("MemTotal", 2L << 20, 1), SlabRulesTest.mi("Percpu", 256L << 10, 39)), Hypothesis.class);
        assertEquals(256L << 20, h.bytes());
        assertEquals("per-CPU allocator", h.subject());
        assertEquals("critical", h.severity());
        assertTrue(h.summary().startsWith("meminfo Percpu is 256 MiB (12.5% of MemTotal)"), h.summary());
        // the same on a 16 GiB host is 1.6 %, under 3 %; 40 MiB on 512 MiB is 7.8 % but under 64 MiB
        none(fire(d, LEAK, SlabRulesTest.mi("MemTotal", 16L << 20, 1), SlabRulesTest.mi("Percpu", 256L << 10, 39)), Hypothesis.class);
        none(fire(d, LEAK, SlabRulesTest.mi("MemTotal", 512L << 10, 1), SlabRulesTest.mi("Percpu", 40L << 10, 39)), Hypothesis.class);
        // 100 MiB of 1 GiB (9.8 %): warning
        assertEquals("warning", one(fire(d, LEAK, SlabRulesTest.mi("MemTotal", 1L << 20, 1), SlabRulesTest.mi("Percpu", 100L << 10, 39)), Hypothesis.class).severity());

        // chunks: 2 x 128 MiB spans 256 MiB >= half of 256 MiB; a metadata area is not a chunk
        VmallocInfoEntry c1 = new VmallocInfoEntry(0, 0, 128L << 20, "pcpu_get_vm_areas+0x0/0x1080", -1, "vmalloc", at("proc/vmallocinfo", 94));
        VmallocInfoEntry c2 = new VmallocInfoEntry(0, 0, 128L << 20, "pcpu_get_vm_areas+0x0/0x1080", -1, "vmalloc", at("proc/vmallocinfo", 95));
        VmallocInfoEntry meta = new VmallocInfoEntry(0, 0, 513 * 4096L, "pcpu_create_chunk+0x167/0x1b0", 512, "vmalloc", at("proc/vmallocinfo", 69));
        Evidence e = evidence(fire(d, CHUNKS, h, c1, c2, meta));
        assertTrue(e.supports());
        assertEquals(1.0, e.weight());
        assertTrue(e.text().startsWith("2 per-CPU chunks made after boot (pcpu_get_vm_areas areas in vmallocinfo) span 256 MiB"), e.text());
        Hypothesis big = hypothesis("PERCPU_LEAK", "per-CPU allocator", 600L << 20);
        none(fire(d, CHUNKS, big, c1, c2, meta), Evidence.class); // 256 MiB of chunks cannot hold 600 MiB

        // metadata: 2 x 512 pages x 4 KiB = 4 MiB against a 6 MiB gap (at least half): against
        VmallocInfoEntry meta2 = new VmallocInfoEntry(0, 0, 513 * 4096L, "pcpu_create_chunk+0x167/0x1b0", 512, "vmalloc", at("proc/vmallocinfo", 70));
        Hypothesis gap = hypothesis("UNACCOUNTED_KERNEL_MEMORY", "memory in no counter", 6L << 20);
        Evidence m = evidence(fire(d, METADATA, gap, h, host("page_size", 4096), meta, meta2, c1));
        assertFalse(m.supports());
        assertEquals(2.0, m.weight());
        assertEquals("4 MiB of it is per-CPU chunk metadata (2 pcpu_create_chunk areas in vmallocinfo): see the PERCPU_LEAK verdict", m.text());
        // with 64 KiB pages the same areas hold 64 MiB; a 200 MiB gap is more than twice 4 MiB
        none(fire(d, METADATA, hypothesis("UNACCOUNTED_KERNEL_MEMORY", "memory in no counter", 200L << 20), h, host("page_size", 4096), meta, meta2), Evidence.class);
        assertEquals("64 MiB of it is per-CPU chunk metadata (2 pcpu_create_chunk areas in vmallocinfo): see the PERCPU_LEAK verdict",
                evidence(fire(d, METADATA, hypothesis("UNACCOUNTED_KERNEL_MEMORY", "memory in no counter", 100L << 20), h, host("page_size", 65536), meta, meta2)).text());

        List<NextCapture> next = all(fire(d, NEXT, h), NextCapture.class);
        assertEquals(3, next.size());
        assertTrue(next.get(0).why().contains("nr_dying_descendants"), next.get(0).why());
        assertEquals("PERCPU_LEAK", next.get(0).hypothesis());
    }
}
