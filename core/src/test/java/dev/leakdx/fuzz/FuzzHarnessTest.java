package dev.leakdx.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;


/**
 * The fuzz harness of issue 13 (knowledge-base-docs/reliability.md).
 * <ul>
 * <li>{@link #captureAndExtractors(byte[])}: Jazzer, run by the {@code fuzz} execution of
 * {@code mvn verify} in a JVM of its own (Jazzer's agent instruments every class loaded after it),
 * with {@code JAZZER_FUZZ=1}: it fuzzes for {@code maxDuration} from a corpus seeded with the case
 * files in {@code .cifuzz-corpus/}, after replaying the committed findings (resources
 * {@code FuzzHarnessTestInputs/captureAndExtractors/}). A crash it finds is written there and fails
 * the build; {@link FuzzSeedsTest} replays those files in the ordinary test run too.</li>
 * </ul>
 */
class FuzzHarnessTest {
    static final List<Path> SEED_ROOTS = List.of(Path.of("cases"), Path.of("core/src/test/resources/samples"));

    static List<Path> seedFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path root : SEED_ROOTS) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("expected.yaml")).sorted().forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Seeds the generated corpus with the case files when fuzzing: the first 4 KiB of each (short inputs
     * keep executions fast; compressed ones are cut, which is an input worth having too).
     */
    @BeforeAll
    static void seedCorpus() throws IOException {
        if (System.getenv("JAZZER_FUZZ") == null) return;
        Path corpus = Files.createDirectories(Path.of(".cifuzz-corpus", FuzzHarnessTest.class.getName(), "captureAndExtractors"));
        int i = 0;
        for (Path p : seedFiles()) {
            byte[] b = Files.readAllBytes(p);
            Files.write(corpus.resolve(String.format("seed-%04d", i++)), FuzzTarget.seed(b, 0, Integer.getInteger("leakdx.fuzz.seed-bytes", 4096)));
        }
    }

    @FuzzTest(maxDuration = "15s")
    void captureAndExtractors(byte[] input) {
        FuzzTarget.fuzzerTestOneInput(input);
    }
}
