package dev.leakdx.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakdx.cli.Main;
import dev.leakdx.extract.Samples;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.SlabCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sosreport and insights archives: only the files leakdx understands are read, the absent ones are named. */
class SosReportTest {
    private static final Path CASE = Path.of("cases/sosreport-lab-baseline");
    private static final String TOP = "sosreport-labvm-2024-06-01-abcdef";

    @Test
    void aSosreportFolderIsNarrowedToKnownFilesAndTheMissingOnesAreListed() throws IOException {
        try (Capture c = CaptureOpener.open(CASE)) {
            List<String> names = c.files().stream().map(CaptureFile::name).toList();
            assertEquals(List.of(TOP + "/proc/meminfo", TOP + "/proc/vmstat", TOP + "/proc/slabinfo", TOP + "/proc/buddyinfo",
                    TOP + "/proc/zoneinfo", TOP + "/sos_commands/kernel/dmesg"), names);
            List<String> missing = c.missing().stream().map(MissingInput::input).toList();
            assertEquals(List.of("proc/vmallocinfo", "system log (var/log/messages*, kern.log*, syslog*)", "var/crash/*/vmcore-dmesg.txt",
                    "per-process memory (/proc/PID/status, smaps_rollup)", "page-types summary (/proc/kpageflags)"), missing);
            assertTrue(c.missing().get(0).hint().startsWith("vmalloc areas with their callers"));
            Samples.Result r = Samples.extract(c);
            assertEquals(1_995_720L * 1024, r.one(MemCounter.class, m -> m.name().equals("MemTotal")).bytes());
            assertTrue(r.of(SlabCache.class).size() > 50, "slabinfo read: " + r.of(SlabCache.class).size());
            assertEquals(0, r.diagnostics("skipped").size(), r.diagnostics().toString());
        }
    }

    @Test
    void aSosreportTarballIsDetectedByItsTopFolder(@TempDir Path dir) throws IOException {
        Path tgz = dir.resolve(TOP + ".tar.gz");
        BundleWriter.write(CASE.resolve(TOP), tgz);
        try (Capture c = CaptureOpener.open(tgz)) {
            assertEquals(6, c.files().size());
            assertEquals(TOP + ".tar.gz!" + TOP + "/proc/meminfo", c.files().get(0).name());
            assertEquals(5, c.missing().size());
        }
    }

    @Test
    void insightsArchivesAndRotatedSyslogsAreRecognised(@TempDir Path dir) throws IOException {
        Path ins = Files.createDirectories(dir.resolve("insights-host-20240601/insights_commands"));
        Path root = ins.getParent();
        Files.createDirectories(root.resolve("proc"));
        Files.copy(CASE.resolve(TOP + "/proc/meminfo"), root.resolve("proc/meminfo"));
        Files.copy(CASE.resolve(TOP + "/sos_commands/kernel/dmesg"), ins.resolve("dmesg"));
        Files.createDirectories(root.resolve("var/log"));
        Files.writeString(root.resolve("var/log/messages"), "Jun  1 10:00:00 labvm kernel: oom_reaper: reaped process 4242 (batchjb)\n");
        Files.writeString(root.resolve("var/log/messages-20240526"), "Jun  1 09:00:00 labvm kernel: hello\n");
        Files.writeString(root.resolve("var/log/syslog"), "Debian's copy, not read when messages exists\n");
        Files.writeString(root.resolve("proc/vmallocinfo"), ""); // a failed copy: empty, so missing
        assertEquals(root, SosReport.root(dir));
        try (Capture c = CaptureOpener.open(dir)) {
            List<String> names = c.files().stream().map(CaptureFile::name).toList();
            assertEquals(List.of("insights-host-20240601/proc/meminfo", "insights-host-20240601/insights_commands/dmesg",
                    "insights-host-20240601/var/log/messages", "insights-host-20240601/var/log/messages-20240526"), names);
            assertTrue(c.missing().stream().anyMatch(m -> m.input().equals("proc/vmallocinfo")));
            assertTrue(c.missing().stream().noneMatch(m -> m.input().startsWith("kernel log")));
        }
        assertNull(SosReport.root(CASE.resolve(TOP + "/proc")));
    }

    @Test
    void theReportSaysWhatIsMissingInEveryFormat(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("r.json"), md = dir.resolve("r.md"), txt = dir.resolve("r.txt"), html = dir.resolve("r.html");
        assertEquals(0, Main.run("diagnose", CASE.toString(), "-f", "json", "-o", json.toString()));
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertEquals(0, r.path("verdicts").size());
        assertEquals("proc/vmallocinfo", r.path("diagnostics").path("missing").path(0).path("input").asText());
        assertEquals(5, r.path("diagnostics").path("missing").size());
        Main.run("diagnose", CASE.toString(), "-f", "md", "-o", md.toString());
        assertTrue(Files.readString(md).contains("### Missing inputs\n\n| input | what it would add |\n|---|---|\n| proc/vmallocinfo | vmalloc areas"));
        Main.run("diagnose", CASE.toString(), "-o", txt.toString());
        assertTrue(Files.readString(txt).contains("  Missing inputs (what each would add):\n    proc/vmallocinfo: vmalloc areas"));
        Main.run("diagnose", CASE.toString(), "-f", "html", "-o", html.toString());
        assertTrue(Files.readString(html).contains("<h3>Missing inputs</h3>"));
    }
}
