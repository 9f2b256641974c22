package dev.leakdx.fleet;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet questions on a small fleet made here from a real capture (the lab's 6.1 guest before any
 * injection): two hosts with four daily captures each; on host "leaky" kmalloc-256 grows by 150 MiB a
 * day (slabinfo and meminfo changed together) and an out-of-tree module "leakydrv" is loaded, host
 * "steady" stays as captured (the lab guest's own module list). The answers are checked in numbers
 * against what was written.
 */
class FleetReportTest {
    static final long MiB = 1 << 20, KiB = 1024;
    static final long GROWTH_PER_DAY = 150 * MiB;
    static final Path TEMPLATE = Path.of("cases/healthy-lab-baseline-before");
    /** The same guest's module list (its baseline run's /proc/modules). */
    static final Path MODULES = Path.of("cases/lab-baseline/proc/modules.txt");
    static SparkSession spark;
    static Path out;
    static FleetReport report;
    static long lastAvailable;

    @BeforeAll
    static void fleet(@TempDir Path tmp) throws Exception {
        Path captures = Files.createDirectories(tmp.resolve("captures"));
        for (String host : List.of("leaky", "steady")) {
            for (int day = 0; day < 4; day++) {
                long grown = host.equals("leaky") ? day * GROWTH_PER_DAY : 0;
                Path c = captures.resolve(host + "-2026110" + (day + 1));
                FleetSourcesTest.copyTree(TEMPLATE.resolve("proc"), c.resolve("proc"));
                // the template has no uname: the kernel is stated as a fleet's collector states it (the lab guest's)
                Files.writeString(c.resolve("case.yaml"), "capture: {hostname: " + host + ", time: \"2026-11-0" + (day + 1) + "T06:00:00Z\"}\n"
                        + "host: {kernel_release: 6.1.0-56-amd64, arch: x86_64}\n");
                growSlab(c.resolve("proc/slabinfo"), grown);
                List<String> modules = new ArrayList<>(Files.readAllLines(MODULES));
                if (host.equals("leaky")) modules.add("leakydrv 16384 0 - Live 0xffffffffc0a00000 (O)");
                Files.write(c.resolve("proc/modules.txt"), modules);
                long avail = growMeminfo(c.resolve("proc/meminfo"), grown);
                if (host.equals("leaky")) lastAvailable = avail;
            }
        }
        spark = FleetMain.session("local[2]", "leakdx fleet-report test");
        out = tmp.resolve("out");
        FleetJob.run(spark, new FleetJob.Options(captures.toString(), out.toString(), false, 0));
        report = FleetReport.run(spark, out.toString(), FleetQuery.load(null));
        report.write(out.toString());
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    /** kmalloc-256 (16 objects of 256 B in one 4 KiB page per slab on this capture) grown by {@code bytes}. */
    static void growSlab(Path slabinfo, long bytes) throws IOException {
        long slabs = bytes / 4096;
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(slabinfo)) {
            if (l.startsWith("kmalloc-256 ")) {
                String[] f = l.trim().split("\\s+");
                long objs = Long.parseLong(f[1]) + slabs * 16, total = Long.parseLong(f[2]) + slabs * 16;
                long active = Long.parseLong(f[13]) + slabs, num = Long.parseLong(f[14]) + slabs;
                l = String.format("%-17s %6d %6d %6s %4s %4s : tunables %4s %4s %4s : slabdata %6d %6d %6s",
                        f[0], objs, total, f[3], f[4], f[5], f[8], f[9], f[10], active, num, f[15]);
            }
            lines.add(l);
        }
        Files.write(slabinfo, lines);
    }

    /** The same bytes moved from free to unreclaimable slab; returns the new MemAvailable in bytes. */
    static long growMeminfo(Path meminfo, long bytes) throws IOException {
        long kb = bytes / KiB, avail = -1;
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(meminfo)) {
            Matcher m = Pattern.compile("^(\\w+):(\\s+)(\\d+) kB$").matcher(l);
            if (m.matches()) {
                long v = Long.parseLong(m.group(3));
                switch (m.group(1)) {
                    case "MemFree", "MemAvailable" -> v -= kb;
                    case "Slab", "SUnreclaim" -> v += kb;
                    default -> { }
                }
                if (m.group(1).equals("MemAvailable")) avail = v * KiB;
                l = String.format("%-16s%8d kB", m.group(1) + ":", v);
            }
            lines.add(l);
        }
        Files.write(meminfo, lines);
        return avail;
    }

    static FleetReport.Section section(String file) {
        return report.sections().stream().filter(s -> s.query().file().equals(file)).findFirst().orElseThrow();
    }

    static Object cell(FleetReport.Section s, int row, String column) {
        return s.rows().get(row).get(s.columns().indexOf(column));
    }

    @Test
    void theHostThatRunsOutIsListedWithItsLossPerDayAndDaysLeft() {
        FleetReport.Section s = section("05-hosts-running-out.sql");
        assertNull(s.error());
        assertEquals(1, s.rows().size(), "only the leaking host loses memory: " + s.rows());
        assertEquals("leaky", cell(s, 0, "host"));
        assertEquals(4L, ((Number) cell(s, 0, "captures")).longValue());
        assertEquals(150.0, ((Number) cell(s, 0, "loss_mib_per_day")).doubleValue(), 0.05);
        double days = (double) lastAvailable / GROWTH_PER_DAY;
        assertEquals(Math.round(days * 10) / 10.0, ((Number) cell(s, 0, "days_left")).doubleValue(), 0.051);
        assertEquals(1.0, ((Number) cell(s, 0, "r2")).doubleValue(), 0.001);
    }

    @Test
    void theGrowingSlabCacheComesFirstWithItsRate() {
        FleetReport.Section s = section("03-growing-slab-caches.sql");
        assertNull(s.error());
        assertEquals("kmalloc-256", cell(s, 0, "cache"));
        assertEquals(1L, ((Number) cell(s, 0, "hosts_growing")).longValue());
        assertEquals(1L, ((Number) cell(s, 0, "hosts_every_step_up")).longValue());
        assertEquals(150.0, ((Number) cell(s, 0, "median_mib_per_day")).doubleValue(), 0.01);
        assertEquals("6.1.0-56-amd64", cell(s, 0, "kernels"));
    }

    @Test
    void verdictRatesCompareTheKernelWithTheFleet() {
        FleetReport.Section s = section("02-verdict-rates-by-kernel.sql");
        assertNull(s.error());
        assertTrue(s.rows().size() >= 1, "the leaking host's later captures have verdicts");
        for (int i = 0; i < s.rows().size(); i++) {
            assertEquals("6.1.0-56-amd64", cell(s, i, "kernel_release"));
            assertEquals(8L, ((Number) cell(s, i, "captures")).longValue(), "eight captures of the one kernel");
            assertEquals(1.0, ((Number) cell(s, i, "lift")).doubleValue(), 1e-9, "one kernel: its rate is the fleet's");
        }
    }

    @Test
    void theModuleOnlyTheLeakingHostLoadsGoesWithItsVerdict() {
        // how many of leaky's captures the rules judged a warning or critical SLAB_LEAK (the later days)
        long judged = spark.sql("SELECT count(DISTINCT capture_uri) FROM verdicts WHERE code = 'SLAB_LEAK' "
                + "AND severity IN ('warning', 'critical') AND host = 'leaky'").first().getLong(0);
        long elsewhere = spark.sql("SELECT count(*) FROM verdicts WHERE code = 'SLAB_LEAK' "
                + "AND severity IN ('warning', 'critical') AND host = 'steady'").first().getLong(0);
        assertTrue(judged >= 1 && elsewhere == 0, judged + " / " + elsewhere);
        FleetReport.Section s = section("06-verdicts-by-module.sql");
        assertNull(s.error());
        assertEquals("leakydrv", cell(s, 0, "module"));
        assertEquals("SLAB_LEAK", cell(s, 0, "code"));
        assertEquals(4L, ((Number) cell(s, 0, "with_module")).longValue());
        assertEquals(judged, ((Number) cell(s, 0, "with_both")).longValue());
        assertEquals(0.0, ((Number) cell(s, 0, "rate_without")).doubleValue(), 1e-9);
        assertNull(cell(s, 0, "lift"), "no capture without the module has the verdict: no ratio");
        for (int i = 0; i < s.rows().size(); i++) assertEquals("leakydrv", cell(s, i, "module"), "modules every host loads are not listed");
    }

    @Test
    void theReportIsWrittenAsMarkdownAndHtmlWithCharts() throws IOException {
        String md = Files.readString(out.resolve("fleet-report.md"), StandardCharsets.UTF_8);
        String html = Files.readString(out.resolve("fleet-report.html"), StandardCharsets.UTF_8);
        assertTrue(md.startsWith("# Fleet report\n\n8 captures, "), md.substring(0, 80));
        assertTrue(md.contains("## Hosts whose memory will run out soonest") && md.contains("| leaky |"), md);
        assertTrue(html.contains("<h2>Slab caches that grow across hosts</h2>"));
        assertTrue(html.contains("<svg role=\"img\"") && html.contains(">kmalloc-256</text>"), "a bar per cache");
        assertEquals(report.sections().size(), md.split("\n## ", -1).length - 1);
    }

    @Test
    void aUsersOwnSqlRunsAndABrokenQuestionSaysWhyWithoutStoppingTheOthers(@TempDir Path sql) throws IOException {
        Files.writeString(sql.resolve("10-hosts.sql"), "-- title: Captures per host\n-- chart: bar label=host value=n\n"
                + "SELECT host, count(*) AS n FROM captures GROUP BY host ORDER BY host;\n");
        Files.writeString(sql.resolve("20-broken.sql"), "-- title: Broken\nSELECT no_such_column FROM captures\n");
        Files.writeString(sql.resolve("30-markup.sql"), "-- title: <i>Text</i> from the tables\nSELECT '<script>x</script>|y' AS t\n");
        FleetReport r = FleetReport.run(spark, out.toString(), FleetQuery.load(sql));
        assertEquals(3, r.sections().size());
        // what the tables hold is text in both formats, never markup or a broken table
        assertTrue(r.markdown().contains("| &lt;script&gt;x&lt;/script&gt;\\|y |"), r.markdown());
        assertTrue(r.html().contains("<td>&lt;script&gt;x&lt;/script&gt;|y</td>") && !r.html().contains("<script>"), r.html());
        assertTrue(r.html().contains("<h2>&lt;i&gt;Text&lt;/i&gt; from the tables</h2>"));
        FleetReport.Section hosts = r.sections().get(0);
        assertEquals(List.of("host", "n"), hosts.columns());
        assertEquals(List.of(List.of("leaky", 4L), List.of("steady", 4L)), hosts.rows());
        FleetReport.Section broken = r.sections().get(1);
        assertNotNull(broken.error());
        assertTrue(broken.error().startsWith("20-broken.sql: ") && broken.error().contains("no_such_column"), broken.error());
        assertTrue(r.markdown().contains("**The question could not be answered:** 20-broken.sql: "));
    }
}
