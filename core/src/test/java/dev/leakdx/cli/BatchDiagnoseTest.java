package dev.leakdx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** leakdx diagnose over many captures in one process: the fleet job of issue 4. */
class BatchDiagnoseTest {
    private static final Path CASES = Path.of("cases");

    private static Path fleet(Path dir) throws IOException {
        Path f = Files.createDirectories(dir.resolve("fleet"));
        for (String c : List.of("lab-thp-proc", "hugetlb-idle-meminfo", "lab-baseline-proc"))
            Files.createSymbolicLink(f.resolve(c), CASES.resolve(c).toAbsolutePath());
        Files.writeString(f.resolve("not-a-bundle.tar.gz"), "this is not gzip\n");
        return f;
    }

    @Test
    void aFolderOfCapturesGivesOneJsonLinePerCaptureInOrderAndTheWorstExitCode(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("fleet.jsonl");
        int exit = Main.run("diagnose", "--batch", fleet(tmp).toString(), "--format", "json", "-o", out.toString(), "-j", "2");
        List<String> lines = Files.readAllLines(out);
        assertEquals(4, lines.size(), String.join("\n", lines));
        ObjectMapper m = new ObjectMapper();
        JsonNode thp = m.readTree(lines.get(2)), idle = m.readTree(lines.get(0)), base = m.readTree(lines.get(1)), bad = m.readTree(lines.get(3));
        assertTrue(thp.path("capture").asText().endsWith("lab-thp-proc"), thp.path("capture").asText());
        assertEquals("THP_REFCOUNT_LEAK", thp.path("verdicts").path(0).path("code").asText());
        assertEquals(268435456L, thp.path("verdicts").path(0).path("bytes").asLong());
        assertEquals("HUGETLB_RESERVED_IDLE", idle.path("verdicts").path(0).path("code").asText());
        assertEquals(0, base.path("exitCode").asInt());
        assertEquals(0, base.path("verdicts").size());
        // a file in no known format is not a healthy host
        assertEquals(2, bad.path("exitCode").asInt());
        assertEquals(2, exit);
    }

    @Test
    void severalPathsGiveASummaryTableAndFullReportsWhenAsked(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("summary.txt"), full = tmp.resolve("reports");
        int exit = Main.run("diagnose", CASES.resolve("lab-thp-proc").toString(), CASES.resolve("lab-baseline-proc").toString(),
                "-o", out.toString(), "--output-dir", full.toString(), "--format", "text");
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("EXIT CAPTURE"), lines.get(0));
        assertTrue(lines.get(1).matches("1\\s+\\S*lab-thp-proc\\s+THP_REFCOUNT_LEAK\\s+critical\\s+1\\.00\\s+256 MiB.*"), lines.get(1));
        assertTrue(lines.get(2).matches("0\\s+\\S*lab-baseline-proc\\s+\\(no verdict\\).*"), lines.get(2));
        assertEquals(1, exit);
        String report = Files.readString(full.resolve("lab-thp-proc.txt"));
        assertTrue(report.contains("THP_REFCOUNT_LEAK"), report);
        assertTrue(Files.exists(full.resolve("lab-baseline-proc.txt")));
    }

    /** --redact in batch mode: each capture's report is redacted as a single diagnose's is, and so is its summary line; --output-dir numbers the files (capture-1, ...) instead of naming them after the captures. */
    @Test
    void redactAppliesToEveryReportAndSummaryLineOfABatch(@TempDir Path tmp) throws IOException {
        String oom = CASES.resolve("memcg-oom-leaker-lkml").toString(), slab = CASES.resolve("slab-oom-kmemleak-lkml").toString();
        Path plain = tmp.resolve("plain.jsonl"), red = tmp.resolve("red.jsonl"), table = tmp.resolve("red.txt"), dir = tmp.resolve("full");
        assertEquals(1, Main.run("diagnose", oom, slab, "--format", "json", "-o", plain.toString()));
        assertEquals(1, Main.run("diagnose", oom, slab, "--format", "json", "--redact", "-o", red.toString()));
        assertEquals(1, Main.run("diagnose", oom, slab, "--redact", "-o", table.toString(), "--output-dir", dir.toString()));
        List<String> before = Files.readAllLines(plain), after = Files.readAllLines(red);
        assertEquals(2, after.size());
        assertTrue(before.get(0).contains("(leaker)"), "the plain report names the killed process");
        assertTrue(before.get(1).contains("dbus-broker"), "the plain report names a task of the OOM table");
        java.util.regex.Pattern leaker = java.util.regex.Pattern.compile("(?<![A-Za-z0-9_])leaker(?![A-Za-z0-9_])");
        for (String out : List.of(after.get(0), Files.readString(table), Files.readString(dir.resolve("capture-1.txt")))) {
            assertTrue(!leaker.matcher(out).find(), "'leaker' left in: " + out.lines().filter(l -> leaker.matcher(l).find()).findFirst().orElse(""));
            assertTrue(out.contains("proc-1") || out.contains("host-1"), out);
        }
        assertTrue(Files.readString(dir.resolve("capture-1.txt")).contains("proc-1"), "the killed process is a placeholder");
        assertTrue(!after.get(1).contains("dbus-broker"), after.get(1));
        // the figures stay: same top verdicts and bytes as without --redact
        ObjectMapper m = new ObjectMapper();
        for (int i = 0; i < 2; i++) {
            JsonNode a = m.readTree(before.get(i)).path("verdicts").path(0), b = m.readTree(after.get(i)).path("verdicts").path(0);
            assertEquals(a.path("code").asText(), b.path("code").asText());
            assertEquals(a.path("bytes").asLong(), b.path("bytes").asLong());
        }
        assertEquals(519_954_432L, m.readTree(after.get(0)).path("verdicts").path(0).path("bytes").asLong());
        // the summary names the capture as its report does: the folder's name, which may be its host's, is replaced whole
        assertTrue(Files.readString(table).contains("cases/host-1 "), Files.readString(table));
    }
}
