package dev.leakdx.cases;

import dev.leakdx.TestKnowledge;
import dev.leakdx.casecheck.CaseCheck;
import dev.leakdx.explain.Report;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every folder under cases with an expected.yaml is diagnosed as a user
 * would (the folder is the capture) and checked against it by {@link CaseCheck}, the same code
 * {@code leakdx rules test} runs: top verdict, verdict bytes within tolerance, considered and
 * absent codes, findings, host facts, exit code, cited lines. A confusion table (expected top
 * vs got) is printed at the end.
 */
class CaseFixturesTest {
    static final Path CASES = Path.of("cases");
    private static final ConcurrentLinkedQueue<CaseCheck.Outcome> OUTCOMES = new ConcurrentLinkedQueue<>();

    @TestFactory
    Stream<DynamicTest> everyCaseFolderMatchesItsExpectation() throws IOException {
        List<Path> dirs = CaseCheck.caseFolders(CASES);
        assertFalse(dirs.isEmpty(), "no case folders under " + CASES);
        return dirs.stream().map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> check(d)));
    }

    static Report diagnose(Path dir) throws IOException {
        return CaseCheck.diagnose(TestKnowledge.diagnoser(), dir, "leakdx test");
    }

    private static void check(Path dir) throws IOException {
        CaseCheck.Outcome o = CaseCheck.run(TestKnowledge.diagnoser(), dir, "leakdx test");
        OUTCOMES.add(o);
        if (!o.passed()) fail(o.name() + ":\n  " + String.join("\n  ", o.failures()));
    }


    @AfterAll
    static void printConfusionTable() {
        System.out.println("\n" + CaseCheck.confusionTable(List.copyOf(OUTCOMES)));
    }
}
