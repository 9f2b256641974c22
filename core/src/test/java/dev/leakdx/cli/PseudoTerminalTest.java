package dev.leakdx.cli;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * leakdx on a real pseudo-terminal (util-linux's script gives it one): the text report is
 * coloured and wrapped to COLUMNS there, colourless with NO_COLOR, and 80 columns without colour
 * when the same command's output is piped.
 */
class PseudoTerminalTest {
    static final String CASE = "cases/lab-pfrag";

    static String run(Map<String, String> env, boolean pty) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = System.getProperty("java.home") + "/bin/java";
        String cmd = "'" + java + "' -Dorg.slf4j.simpleLogger.defaultLogLevel=off -cp '" + cp + "' dev.leakdx.cli.Main diagnose " + CASE;
        ProcessBuilder pb = pty ? new ProcessBuilder("script", "-qec", cmd, "/dev/null") : new ProcessBuilder("bash", "-c", cmd + " | cat");
        pb.environment().remove("NO_COLOR");
        pb.environment().remove("COLUMNS");
        pb.environment().put("TERM", "xterm");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return out;
    }

    static boolean haveScript() {
        try {
            return new ProcessBuilder("script", "--version").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test void colourAndWidthOnATerminalNotThroughAPipe() throws Exception {
        assumeTrue(haveScript(), "util-linux script is not installed");
        String tty = run(Map.of("COLUMNS", "72"), true);
        assertTrue(tty.contains("\u001b[1;31mCRITICAL\u001b[0m PAGE_FRAG_CACHE_LEAK"), tty);
        List<String> lines = tty.lines().map(l -> l.replaceAll("\u001b\\[[0-9;]*m", "")).toList();
        assertTrue(lines.get(0).startsWith("1 finding: CRITICAL PAGE_FRAG_CACHE_LEAK"), lines.get(0));
        for (String l : lines) assertTrue(l.length() <= 72 || l.startsWith("            "), "wider than COLUMNS=72: " + l);
        assertTrue(lines.stream().anyMatch(l -> l.length() > 66), "the width is used");

        String noColour = run(Map.of("COLUMNS", "72", "NO_COLOR", "1"), true);
        assertFalse(noColour.contains("\u001b["), "NO_COLOR");

        String piped = run(Map.of("COLUMNS", "200"), false);
        assertFalse(piped.contains("\u001b["), "no colour into a pipe");
        for (String l : piped.lines().toList()) assertTrue(l.length() <= 80 || l.startsWith("            "), "wider than 80 in a pipe: " + l);
        assertEquals(lines.get(0), piped.lines().findFirst().orElse(""));
    }
}
