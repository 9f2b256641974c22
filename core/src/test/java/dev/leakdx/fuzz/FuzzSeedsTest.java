package dev.leakdx.fuzz;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fuzz harness's seeds and findings in the ordinary test run (no Jazzer): every file of the
 * case folders and samples, whole and behind every preamble, and every finding the fuzzer wrote
 * (each a crash it found, fixed since: a regression test), through {@link FuzzTarget}.
 */
class FuzzSeedsTest {
    static final Path FINDINGS = Path.of("core/src/test/resources/dev/leakdx/fuzz/FuzzHarnessTestInputs/captureAndExtractors");

    @Test
    void seedsRunClean() throws IOException {
        List<Path> files = FuzzHarnessTest.seedFiles();
        assertTrue(files.size() > 100, "the case folders and samples: " + files.size());
        for (Path p : files) {
            byte[] b = Files.readAllBytes(p);
            FuzzTarget.fuzzerTestOneInput(FuzzTarget.seed(b, 0));
        }
        byte[] body = Files.readAllBytes(Path.of("core/src/test/resources/samples/crash8-kmem-i.txt"));
        for (int k = 1; k < FuzzTarget.PREAMBLES.size(); k++) FuzzTarget.fuzzerTestOneInput(FuzzTarget.seed(body, k));
    }

    @Test
    void findingsOfTheFuzzerStayFixed() throws IOException {
        if (!Files.isDirectory(FINDINGS)) return;
        try (Stream<Path> s = Files.list(FINDINGS)) {
            for (Path p : s.sorted().toList()) FuzzTarget.fuzzerTestOneInput(Files.readAllBytes(p));
        }
    }
}
