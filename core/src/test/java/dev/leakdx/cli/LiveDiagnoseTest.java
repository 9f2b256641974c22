package dev.leakdx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Issue 5 acceptance: `leakdx diagnose` with no path diagnoses this host; a capture bundle of it gives the same verdicts. */
class LiveDiagnoseTest {

    @Test
    void thisHostLiveAndItsBundleGiveTheSameVerdicts(@TempDir Path dir) throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/meminfo")), "no /proc/meminfo: not a Linux host");
        Path live = dir.resolve("live.json"), bundle = dir.resolve("x.tar.gz"), fromBundle = dir.resolve("bundle.json");
        int liveExit = Main.run("diagnose", "-f", "json", "-o", live.toString());
        assertEquals(0, Main.run("capture", "-q", "-o", bundle.toString()));
        assertTrue(Files.size(bundle) > 0);
        int bundleExit = Main.run("diagnose", bundle.toString(), "-f", "json", "-o", fromBundle.toString());
        ObjectMapper m = new ObjectMapper();
        JsonNode a = m.readTree(live.toFile()), b = m.readTree(fromBundle.toFile());

        // this host is healthy (a test VM): a budget, and no warning or critical leak verdict
        assertEquals(0, liveExit, a.path("verdicts").toString());
        assertEquals(liveExit, bundleExit);
        assertTrue(a.path("capture").asText().startsWith("this host (live"), a.path("capture").asText());
        long memTotal = memTotalKb() * 1024;
        assertEquals(memTotal, budget(a, "MemTotal"));
        assertEquals(memTotal, budget(b, "MemTotal"));
        assertEquals(a.path("host").path("page_size").path("value").asText(), b.path("host").path("page_size").path("value").asText());
        assertEquals("stated in the manifest", b.path("host").path("kernel_release").path("how").asText());

        // the same verdicts: codes and severities equal, bytes within what a running host moves in seconds
        assertEquals(codes(a.path("verdicts")), codes(b.path("verdicts")));
        assertEquals(codes(a.path("findings")), codes(b.path("findings")));
        for (int i = 0; i < a.path("verdicts").size(); i++) {
            long x = a.path("verdicts").path(i).path("bytes").asLong(), y = b.path("verdicts").path(i).path("bytes").asLong();
            assertTrue(Math.abs(x - y) <= Math.max(64L << 20, Math.max(x, y) / 20), x + " vs " + y);
        }
    }

    @Test
    void captureHasHelpAndRefusesAnOutputItCannotWrite(@TempDir Path dir) throws IOException {
        assertEquals(0, Main.run("capture", "--help"));
        Path blocker = Files.writeString(dir.resolve("file"), "x");
        assertEquals(2, Main.run("capture", "-q", "-o", blocker.resolve("under-a-file.tar.gz").toString()));
    }

    private static long budget(JsonNode r, String key) {
        for (JsonNode l : r.path("budget")) if (l.path("label").asText().equals(key) && l.path("basis").asText().equals("meminfo")) return l.path("bytes").asLong();
        return -1;
    }

    private static List<String> codes(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : list) out.add(v.path("code").asText() + "/" + v.path("severity").asText());
        return out;
    }

    private static long memTotalKb() throws IOException {
        Matcher m = Pattern.compile("(?m)^MemTotal:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/meminfo")));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }
}
