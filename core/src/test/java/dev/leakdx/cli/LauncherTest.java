package dev.leakdx.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's first build, run twice at once: one build (under a lock), no build log in the
 * temporary folder, the CDS archive made once and never deleted under the other run. Maven and
 * java are stand-ins on PATH that record what they were asked, so the test takes seconds.
 */
class LauncherTest {
    private static Path script(Path p, String body) throws IOException {
        Files.writeString(p, "#!/usr/bin/env bash\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void twoFirstRunsAtOnceBuildOnceAndLeaveNothingInTheTempDir(@TempDir Path dir) throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.copy(Path.of("leakdx"), project.resolve("leakdx"));
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Files.createDirectories(project.resolve("core"));
        Files.writeString(project.resolve("core/pom.xml"), "<project/>");
        Files.createDirectories(project.resolve("core/src/main"));
        Files.createDirectories(project.resolve("rules"));
        Files.createDirectories(project.resolve("facts-extractors"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path log = dir.resolve("calls.log");
        script(bin.resolve("mvn"), """
                echo mvn >> "%1$s"
                [ -e core/target/.building ] && echo OVERLAP >> "%1$s"
                mkdir -p core/target && touch core/target/.building
                sleep 2
                mkdir -p core/target/lib && echo jar > core/target/leakdx.jar
                rm -f core/target/.building
                """.formatted(log));
        script(bin.resolve("java"), """
                case "$*" in
                  -version) echo 'openjdk version "17.0.99"' >&2 ;;
                  *-Xshare:dump*)
                    echo dump >> "%1$s"
                    for a in "$@"; do case "$a" in -XX:SharedArchiveFile=*) out="${a#*=}" ;; esac; done
                    sleep 1; echo archive > "$out" ;;
                  *DumpLoadedClassList*) : ;;
                  *) for a in "$@"; do case "$a" in -XX:SharedArchiveFile=*) [ -s "${a#*=}" ] || echo NO-ARCHIVE >> "%1$s" ;; esac; done
                     echo ran ;;
                esac
                """.formatted(log));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        ProcessBuilder pb = new ProcessBuilder("bash", project.resolve("leakdx").toString(), "--version").redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("TMPDIR", tmp.toString());
        Process a = pb.start(), b = pb.start();
        String outA = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String outB = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(a.waitFor(60, TimeUnit.SECONDS) && b.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, a.exitValue(), outA);
        assertEquals(0, b.exitValue(), outB);
        assertTrue(outA.contains("ran") && outB.contains("ran"), outA + outB);
        List<String> calls = Files.readAllLines(log);
        assertEquals(List.of("mvn", "dump"), calls, "one build, one archive, no overlap, no run without its archive");
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList(), "nothing left in the temporary folder");
        }
        try (Stream<Path> s = Files.list(project.resolve("core/target"))) {
            List<String> left = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(left.contains("leakdx.jsa"), left.toString());
            assertFalse(left.contains("build.log"), left.toString());
            assertTrue(left.stream().noneMatch(n -> n.endsWith(".tmp") || n.startsWith("leakdx.classlist")), left.toString());
        }
    }
}
