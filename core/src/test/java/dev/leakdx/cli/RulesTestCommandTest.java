package dev.leakdx.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** leakdx rules test: the expert's loop over case folders, with a passing case, a failing one, and a DRL typo. */
class RulesTestCommandTest {
    static final Path CASES = Path.of("cases");

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    @Test void passAndFailPerCaseWithEachUnmetExpectationAndTheConfusionTable(@TempDir Path tmp) throws IOException {
        copy(CASES.resolve("memcg-oom-leaker-lkml"), tmp.resolve("memcg-oom-leaker-lkml"));
        Path wrong = tmp.resolve("memcg-oom-said-userspace");
        copy(CASES.resolve("memcg-oom-leaker-lkml"), wrong);
        Files.writeString(wrong.resolve("expected.yaml"), """
                expect:
                  top: USERSPACE_OOM
                  exit_code: 0
                  verdicts:
                    - {code: MEMCG_LIMIT_OOM, bytes: 100000000, tolerance: 0.01}
                  cites: ["dmesg.txt:999"]
                """);
        CliRun r = CliRun.of("rules", "test", tmp.toString(), "--rules", "rules", "--extractors", "facts-extractors");
        assertEquals(1, r.exit(), r.err());
        String out = r.out();
        assertTrue(out.contains("PASS  memcg-oom-leaker-lkml"), out);
        assertTrue(out.contains("FAIL  memcg-oom-said-userspace"), out);
        assertTrue(out.contains("        top verdict: expected USERSPACE_OOM, got MEMCG_LIMIT_OOM"), out);
        assertTrue(out.contains("        exit code: expected 0, got 1"), out);
        assertTrue(out.contains("        MEMCG_LIMIT_OOM bytes: expected 100000000 +-1.0%, got 519954432"), out);
        assertTrue(out.contains("        no evidence cites dmesg.txt:999"), out);
        assertTrue(out.contains("summary: 2 cases, 1 passed, 1 failed"), out);
        assertTrue(out.contains("1 of 2 cases match"), out);
        assertTrue(out.matches("(?s).*memcg-oom-said-userspace\\s+USERSPACE_OOM\\s+MEMCG_LIMIT_OOM\\s+MISMATCH.*"), out);

        Files.delete(wrong.resolve("expected.yaml"));
        CliRun ok = CliRun.of("rules", "test", tmp.toString());
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertTrue(ok.out().contains("summary: 1 cases, 1 passed, 0 failed"), ok.out());
    }

    @Test void aDrlTypoIsReportedAsFileLineColumn(@TempDir Path tmp) throws IOException {
        Path rules = tmp.resolve("rules");
        copy(Path.of("rules"), rules);
        Path hugetlb = rules.resolve("hugetlb.drl");
        // line 14 is the first pattern of the first rule: an unbalanced parenthesis there
        String[] lines = Files.readString(hugetlb).split("\n", -1);
        assertEquals("    $ram : HostFact(key == \"ram_bytes\")", lines[13]);
        lines[13] = "    $ram : HostFact((key == \"ram_bytes\")";
        Files.writeString(hugetlb, String.join("\n", lines));
        CliRun r = CliRun.of("rules", "test", CASES.toString(), "--rules", rules.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("the rules do not compile:"), r.err());
        assertTrue(r.err().contains(hugetlb + ":15:4: [ERR 102] Line 15:4 mismatched input '$first'"), r.err());
        assertEquals("", r.out(), "no case runs on rules that do not compile");
    }

    @Test void noCasesFolderIsAClearMessage(@TempDir Path tmp) {
        CliRun r = CliRun.of("rules", "test", tmp.resolve("nowhere").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("nowhere: no such folder"), r.err());
        CliRun empty = CliRun.of("rules", "test", tmp.toString());
        assertEquals(2, empty.exit());
        assertTrue(empty.err().contains("no sub-folder holds an expected.yaml"), empty.err());
    }
}
