package dev.leakdx.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's examples run as written: its example report is what leakdx prints, and its "Using it" commands work on a case. */
class ReadmeTest {
    static final String CAPTURE = "cases/lab-thp-proc";

    static String block(String readme, String after) {
        int a = readme.indexOf("```\n", readme.indexOf(after)) + 4;
        return readme.substring(a, readme.indexOf("```\n", a));
    }

    @Test void theExampleReportIsWhatLeakdxPrints() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String example = block(readme, "## Example");
        CliRun r = CliRun.of("diagnose", "cases/lab-pfrag");
        assertEquals(1, r.exit());
        List<String> out = r.out().lines().toList();
        int at = 0;
        for (String line : example.split("\n")) {
            if (line.strip().equals("...")) continue;
            int found = -1;
            for (int i = at; i < out.size(); i++) if (out.get(i).equals(line)) { found = i; break; }
            assertTrue(found >= 0, "README line not printed (in this order): '" + line + "'");
            at = found + (line.isEmpty() ? 0 : 1);
        }
        assertEquals(out.get(0), example.split("\n")[0], "the answer is the first line in both");
    }

    @Test void theUsingItCommandsRun(@TempDir Path tmp) throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<String> ran = new ArrayList<>();
        for (String line : block(readme, "## Using it").split("\n")) {
            String cmd = line.replaceAll("\\s+#.*$", "").strip();
            if (!cmd.startsWith("./leakdx ") || cmd.contains("my-") || cmd.contains("captures/") || cmd.startsWith("./leakdx fleet") || cmd.contains("A.tar.gz")
                    || cmd.contains("sosreport-host") || cmd.equals("./leakdx diagnose")) continue; // need files a reader brings; the fleet commands are the Spark module's (fleet/ tests them)
            if (cmd.contains("|")) {
                assertEquals("./leakdx rules list | grep NIC | ./leakdx rules show", cmd);
                String nic = CliRun.of("rules", "list").out().lines().filter(l -> l.contains("NIC")).reduce("", (a, b) -> a + b + "\n");
                InputStream old = System.in;
                try {
                    System.setIn(new ByteArrayInputStream(nic.getBytes(StandardCharsets.UTF_8)));
                    CliRun show = CliRun.of("rules", "show");
                    assertEquals(0, show.exit(), show.err());
                    assertTrue(show.out().contains("code:   NIC_RX_RING_PAGES"), show.out());
                } finally {
                    System.setIn(old);
                }
                ran.add(cmd);
                continue;
            }
            List<String> args = new ArrayList<>(Arrays.asList(cmd.substring("./leakdx ".length()).split("\\s+")));
            args.replaceAll(a -> a.equals("CAPTURE") ? CAPTURE : a);
            int o = args.indexOf("-o");
            Path file = null;
            if (o >= 0 && !args.get(o + 1).equals("-")) {
                file = tmp.resolve(args.get(o + 1));
                args.set(o + 1, file.toString());
            }
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertTrue(r.exit() == 0 || r.exit() == 1, cmd + ": exit " + r.exit() + " " + r.err());
            assertTrue(file == null ? !r.out().isBlank() : Files.size(file) > 0, cmd + " wrote nothing");
            if (file != null && file.toString().endsWith(".json")) assertTrue(Files.readString(file).startsWith("{"), cmd);
            if (file != null && file.toString().endsWith(".html")) assertTrue(Files.readString(file).startsWith("<!DOCTYPE html>"), cmd);
            ran.add(cmd);
        }
        assertTrue(ran.size() >= 10, "commands run: " + ran);
    }
}
