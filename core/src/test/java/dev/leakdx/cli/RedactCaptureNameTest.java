package dev.leakdx.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --redact hides a host name that is only the capture's folder or archive name (issue 13): in
 * every format, in a batch's summary and error rows, and in --output-dir's file names.
 */
class RedactCaptureNameTest {
    static final Path CASE = Path.of("cases/hugetlb-idle-meminfo");
    static final List<String> SECRETS = List.of("db-prod-07", "webfin3", "mail-gw-2");

    static Path copy(Path to) throws IOException {
        try (Stream<Path> s = Files.walk(CASE)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(CASE.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t); else Files.copy(p, t);
            }
        }
        return to;
    }

    static void noSecret(String where, String text) {
        for (String s : SECRETS) assertFalse(text.toLowerCase(Locale.ROOT).contains(s), where + " shows " + s + ":\n" + text);
    }

    @Test void aCaptureNamedAfterItsHostIsRedactedInEveryFormat(@TempDir Path tmp) throws Exception {
        Path folder = copy(tmp.resolve("db-prod-07.example.com"));
        for (String f : List.of("text", "md", "json", "html")) {
            CliRun r = CliRun.of("diagnose", folder.toString(), "--redact", "--format", f);
            assertEquals(1, r.exit(), r.err());
            noSecret(f, r.out() + r.err());
            assertTrue(r.out().contains("host-1"), f + ": the name is replaced, not dropped");
        }
        CliRun plain = CliRun.of("diagnose", folder.toString(), "--format", "json");
        assertTrue(plain.out().contains("db-prod-07"), "without --redact the name stays");
    }

    @Test void batchRowsErrorsAndOutputDirFileNames(@TempDir Path tmp) throws Exception {
        Path folder = copy(tmp.resolve("db-prod-07"));
        Path sos = copy(tmp.resolve("sosreport-webfin3-2024-03-01"));
        Process tar = new ProcessBuilder("tar", "czf", tmp.resolve("sosreport-webfin3-2024-03-01.tar.gz").toString(), "-C", tmp.toString(),
                "sosreport-webfin3-2024-03-01").inheritIO().start();
        assertTrue(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0);
        Path out = tmp.resolve("reports");
        for (String f : List.of("text", "md", "json")) {
            CliRun r = CliRun.of("diagnose", "--redact", "--format", f, "--output-dir", out.resolve(f).toString(), folder.toString(),
                    tmp.resolve("sosreport-webfin3-2024-03-01.tar.gz").toString(), tmp.resolve("mail-gw-2").toString());
            assertEquals(2, r.exit(), r.err());
            noSecret(f + " summary", r.out() + r.err());
            assertTrue(r.out().contains("no such file or folder"), r.out());
            try (Stream<Path> files = Files.list(out.resolve(f))) {
                List<Path> written = files.toList();
                assertEquals(2, written.size(), written.toString());
                for (Path w : written) {
                    noSecret("file name", w.getFileName().toString());
                    noSecret(w.toString(), Files.readString(w));
                }
            }
        }
        assertTrue(Files.exists(sos));
    }
}
