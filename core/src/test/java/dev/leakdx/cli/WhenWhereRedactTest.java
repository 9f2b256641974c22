package dev.leakdx.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bundle's report says when and where it was taken (from the case.yaml leakdx capture writes),
 * and --redact hides that host, and a sosreport's host kept only in its top folder, in every format.
 */
class WhenWhereRedactTest {
    private static final List<String> FORMATS = List.of("text", "md", "json", "html");

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t); else Files.copy(p, t);
            }
        }
    }

    @Test
    void aBundleReportSaysWhenAndWhereAndRedactsTheHost(@TempDir Path tmp) throws Exception {
        Path bundle = tmp.resolve("bundle");
        copy(Path.of("cases/lab-thp-proc/proc"), bundle.resolve("proc"));
        // what LiveCollector writes (CaptureRedactTest builds one for real)
        Files.writeString(bundle.resolve("case.yaml"), "# written by leakdx capture\n# taken 2026-12-01 08:00:00 UTC on db-prod-07, kernel 6.1.0-56-amd64\n"
                + "host:\n  arch: x86_64\n  page_size: \"4096\"\n  kernel_release: 6.1.0-56-amd64\n"
                + "capture:\n  tool: leakdx capture\n  hostname: db-prod-07\n  time: \"2026-12-01T08:00:00Z\"\n  drop_caches: false\nmissing: []\n");
        String line = "Captured 2026-12-01 08:00:00 UTC on db-prod-07, kernel 6.1.0-56-amd64";
        CliRun text = CliRun.of("diagnose", bundle.toString(), "--format", "text");
        assertEquals(line, text.out().lines().skip(2).findFirst().orElseThrow(), text.out()); // after the answer and the title
        assertTrue(CliRun.of("diagnose", bundle.toString(), "--format", "md").out().contains("\n" + line + "\n"));
        assertTrue(CliRun.of("diagnose", bundle.toString(), "--format", "html").out().contains("<p class=\"when\">" + line + "</p>"));
        String json = CliRun.of("diagnose", bundle.toString(), "--format", "json").out();
        com.fasterxml.jackson.databind.JsonNode host = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("host");
        assertEquals("2026-12-01T08:00:00Z", host.path("captured").path("value").asText(), json);
        assertEquals("stated in the manifest", host.path("captured").path("how").asText());
        assertEquals("db-prod-07", host.path("hostname").path("value").asText());
        for (String f : FORMATS) {
            CliRun r = CliRun.of("diagnose", bundle.toString(), "--redact", "--format", f);
            assertFalse(r.out().toLowerCase(Locale.ROOT).contains("db-prod-07"), f + ":\n" + r.out());
            assertTrue(r.out().contains("2026-12-01") && r.out().contains("host-1"), f + ":\n" + r.out());
        }
        assertTrue(CliRun.of("diagnose", bundle.toString(), "--redact").out().contains("Captured 2026-12-01 08:00:00 UTC on host-1, kernel 6.1.0-56-amd64"));
    }

    @Test
    void aRenamedSosreportKeepsItsHostInItsTopFolderAndRedactHidesIt(@TempDir Path tmp) throws Exception {
        Path outer = tmp.resolve("case-0042");
        copy(Path.of("cases/sosreport-lab-baseline/sosreport-labvm-2024-06-01-abcdef"), outer.resolve("sosreport-labvm-2024-06-01-abcdef"));
        CliRun plain = CliRun.of("diagnose", outer.toString(), "--format", "json");
        assertTrue(plain.out().contains("sosreport-labvm-2024-06-01-abcdef/proc/meminfo"), "citations show the top folder:\n" + plain.out());
        for (String f : FORMATS) {
            CliRun r = CliRun.of("diagnose", outer.toString(), "--redact", "--format", f);
            assertFalse(r.out().toLowerCase(Locale.ROOT).contains("labvm"), f + ":\n" + r.out());
            // the outer folder's own name is hidden too (host-1, as RedactCaptureNameTest shows); the sosreport folder is host-2
            assertTrue(r.out().contains("host-2/proc/meminfo:1"), f + ": the citation keeps its file, under a placeholder folder\n" + r.out());
        }
    }
}
