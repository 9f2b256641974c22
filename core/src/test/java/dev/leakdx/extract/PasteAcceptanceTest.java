package dev.leakdx.extract;

import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.facts.CommandRun;
import dev.leakdx.facts.Fact;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15's general acceptance: every form a spec lists (its {@code example:} and
 * {@code examples:} lines, which {@code leakdx formats} prints) is recognised as that spec; no
 * file of a pasted-form case is "format not recognised"; and a file an extractor claims is never
 * left entirely unread, in any case folder.
 */
class PasteAcceptanceTest {

    /**
     * A spec that lists its forms ({@code examples:}) promises each of them, and its
     * {@code example:}, is recognised from that one line: alone in a file, each is read by its own
     * spec and gives no "format not recognised". (Specs without {@code examples:} keep
     * {@code example:} as a typical row shown after their header, e.g. crash tables.)
     */
    @TestFactory
    Stream<DynamicTest> everyListedFormIsRecognisedAsItsSpec(@TempDir Path dir) {
        List<DynamicTest> tests = new ArrayList<>();
        int n = 0;
        for (ExtractorSpec spec : Samples.registry().specs()) {
            if (spec.examples().isEmpty()) continue;
            for (String example : spec.allExamples()) {
                String name = spec.id() + "-" + (n++) + ".txt";
                tests.add(DynamicTest.dynamicTest(spec.id() + ": " + example.strip(), () -> {
                    Samples.Result r = Samples.extractText(dir, name, example + "\n");
                    assertEquals(spec.id(), r.stats(name).format, "recognised as " + spec.id() + ": " + example);
                    assertTrue(r.diagnostics().stream().noneMatch(d -> d.message().contains("format not recognised")), r.diagnostics().toString());
                }));
            }
        }
        return tests.stream();
    }

    /** Every spec with a header lists at least one example, so `leakdx formats` shows every form. */
    @Test
    void everySpecHasAnExampleLine() {
        for (ExtractorSpec spec : Samples.registry().specs())
            assertFalse(spec.allExamples().isEmpty(), spec.id() + " (" + spec.origin() + ") has no example line");
    }

    /** In every pasted-form case, every file is claimed by some spec: none is left as an unknown format. */
    @TestFactory
    Stream<DynamicTest> noPastedFormIsFormatNotRecognised() {
        return caseDirs().filter(d -> d.getFileName().toString().startsWith("paste-")).map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> {
            Samples.Result r = extract(d);
            for (Map.Entry<String, Sink.FileStats> e : r.sink().fileStats().entrySet())
                assertFalse(e.getValue().format.isEmpty() || e.getValue().format.equals("unknown"),
                        e.getKey() + " in " + d.getFileName() + " is not recognised: " + r.diagnostics());
        }));
    }

    /**
     * A file an extractor claims gives at least one fact (other than the record of the section
     * itself) or a diagnostic that says why it holds none (slabtop's "Permission denied"), in
     * every case folder of the project.
     */
    @TestFactory
    Stream<DynamicTest> noClaimedFileIsLeftEntirelyUnread() {
        return caseDirs().map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> {
            Samples.Result r = extract(d);
            for (Map.Entry<String, Sink.FileStats> e : r.sink().fileStats().entrySet()) {
                String file = e.getKey();
                String format = e.getValue().format;
                if (format.isEmpty() || format.equals("binary")) continue;
                boolean read = false;
                for (Fact f : r.facts())
                    if (!(f instanceof CommandRun) && f.provenance().file().equals(file)) { read = true; break; }
                boolean explained = r.diagnostics().stream().anyMatch(x -> x.file().equals(file) && x.level().equals("warning"));
                assertTrue(read || explained, file + " in " + d.getFileName() + " is claimed as " + format + " but nothing in it was read");
            }
        }));
    }

    /** Exit 2 only when no line of any file gave a value: a single meminfo line is enough to diagnose. */
    @Test
    void oneUsableLineIsEnoughAndNoneIsExitTwo(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("one.txt"), "SUnreclaim:      7582864 kB\n");
        assertTrue(dev.leakdx.cli.CliRunAccess.exit("diagnose", dir.resolve("one.txt").toString()) != 2, "one meminfo line is usable");
        Files.writeString(dir.resolve("prose.txt"), "hello, my server is slow\nany idea?\n");
        assertEquals(2, dev.leakdx.cli.CliRunAccess.exit("diagnose", dir.resolve("prose.txt").toString()));
        Files.writeString(dir.resolve("denied.txt"), "fopen /proc/slabinfo: Permission denied\n");
        assertEquals(2, dev.leakdx.cli.CliRunAccess.exit("diagnose", dir.resolve("denied.txt").toString()),
                "a recognised file with no value in it is still nothing to diagnose");
    }

    static Stream<Path> caseDirs() {
        try {
            Path root = Path.of("cases");
            try (Stream<Path> s = Files.list(root)) {
                return s.filter(Files::isDirectory).sorted().toList().stream();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Samples.Result extract(Path caseDir) {
        try (Capture c = CaptureOpener.open(caseDir)) {
            return Samples.extract(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
