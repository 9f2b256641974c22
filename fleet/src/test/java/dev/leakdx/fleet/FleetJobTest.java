package dev.leakdx.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakdx.cli.Main;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Same answers everywhere: the fleet job in Spark's local mode over every case folder, each of its
 * rows checked against the CLI's own JSON report of the same capture ({@code leakdx diagnose --batch
 * cases --format json}, run here through the CLI's entry point), field by field.
 */
class FleetJobTest {
    static SparkSession spark;
    static Path out;
    static Map<String, JsonNode> cli = new HashMap<>();
    static Map<String, Row> captures = new HashMap<>();
    static Map<String, List<Row>> verdicts = new HashMap<>();

    @BeforeAll
    static void runBoth(@TempDir Path tmp) throws Exception {
        Path jsonl = tmp.resolve("cli.jsonl");
        int exit = Main.run("diagnose", "--batch", "cases", "--format", "json", "-o", jsonl.toString());
        assertTrue(exit <= 2, "the CLI's batch ran");
        ObjectMapper m = new ObjectMapper();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            JsonNode r = m.readTree(line);
            cli.put(r.path("capture").asText(), r);
        }
        spark = FleetMain.session("local[2]", "leakdx fleet test");
        out = tmp.resolve("out");
        FleetJob.Summary s = FleetJob.run(spark, new FleetJob.Options(Path.of("cases").toAbsolutePath().toString(), out.toString(), true, 0));
        for (Row r : spark.read().parquet(out.resolve("captures").toString()).collectAsList()) captures.put(r.getAs("capture"), r);
        for (Row r : spark.read().parquet(out.resolve("verdicts").toString()).collectAsList())
            verdicts.computeIfAbsent(r.getAs("capture"), k -> new ArrayList<>()).add(r);
        verdicts.values().forEach(l -> l.sort((a, b) -> Integer.compare(a.<Integer>getAs("rank"), b.<Integer>getAs("rank"))));
        assertEquals(captures.size(), s.captures());
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void everyCaseFolderIsOneRowAndTheCliReportedEachOnce() throws Exception {
        long folders;
        try (Stream<Path> s = Files.list(Path.of("cases"))) {
            folders = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
        assertTrue(folders >= 160, "case folders: " + folders);
        assertEquals(folders, captures.size());
        assertEquals(captures.keySet(), cli.keySet());
    }

    @Test
    void eachCaptureRowAgreesWithTheCliReport() {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : cli.entrySet()) {
            String name = e.getKey();
            JsonNode r = e.getValue();
            Row c = captures.get(name);
            JsonNode host = r.path("host");
            check(wrong, name, "exit_code", r.path("exitCode").asInt(), c.<Integer>getAs("exit_code"));
            check(wrong, name, "verdict_count", r.path("verdicts").size(), c.<Integer>getAs("verdict_count"));
            check(wrong, name, "kernel_release", text(host, "kernel_release"), c.getAs("kernel_release"));
            check(wrong, name, "arch", text(host, "arch"), c.getAs("arch"));
            check(wrong, name, "host", text(host, "hostname"), c.getAs("host"));
            check(wrong, name, "ram_bytes", number(host, "ram_bytes"), c.getAs("ram_bytes"));
            check(wrong, name, "page_size", number(host, "page_size"), c.getAs("page_size"));
            check(wrong, name, "top_code", r.path("verdicts").size() == 0 ? null : r.path("verdicts").get(0).path("code").asText(), c.getAs("top_code"));
            assertNull(c.getAs("error"), name + ": " + c.getAs("error"));
            // the summary's meminfo is the capture's own: where the report's budget is read from meminfo, MemTotal agrees
            for (JsonNode b : r.path("budget")) {
                if (b.path("basis").asText().equals("meminfo") && b.path("key").asText().equals("MemTotal") && b.path("cite").asText().startsWith("proc/meminfo:")) {
                    scala.collection.Map<String, Long> mem = c.getAs("meminfo");
                    check(wrong, name, "meminfo[MemTotal]", b.path("bytes").asLong(), mem.get("MemTotal").isDefined() ? mem.get("MemTotal").get() : null);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void eachVerdictRowAgreesWithTheCliReportInOrder() {
        List<String> wrong = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, JsonNode> e : cli.entrySet()) {
            String name = e.getKey();
            JsonNode vs = e.getValue().path("verdicts");
            List<Row> rows = verdicts.getOrDefault(name, List.of());
            check(wrong, name, "verdict rows", vs.size(), rows.size());
            for (int i = 0; i < Math.min(vs.size(), rows.size()); i++) {
                JsonNode v = vs.get(i);
                Row row = rows.get(i);
                String at = name + " #" + (i + 1);
                check(wrong, at, "rank", i + 1, row.<Integer>getAs("rank"));
                check(wrong, at, "code", v.path("code").asText(), row.getAs("code"));
                check(wrong, at, "severity", v.path("severity").asText(), row.getAs("severity"));
                check(wrong, at, "bytes", v.path("bytes").asLong(), row.getAs("bytes"));
                check(wrong, at, "pages", v.path("pages").isNull() ? null : v.path("pages").asLong(), row.getAs("pages"));
                check(wrong, at, "confidence", v.path("confidence").asDouble(), row.getAs("confidence"));
                check(wrong, at, "rule", v.path("rule").asText(), row.getAs("rule"));
                check(wrong, at, "subject", v.path("subject").asText(), row.getAs("subject"));
                JsonNode top = v.path("basis").size() == 0 ? null : v.path("basis").get(0);
                check(wrong, at, "evidence_cite", top == null ? null : top.path("cite").asText(), row.getAs("evidence_cite"));
                check(wrong, at, "evidence_fact", top == null ? null : top.path("fact").asText(), row.getAs("evidence_fact"));
                check(wrong, at, "kernel_release", text(e.getValue().path("host"), "kernel_release"), row.getAs("kernel_release"));
                total++;
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(total > 100, "verdict rows compared: " + total);
    }

    @Test
    void theSummaryHoldsTheLargestSlabCachesAsTheCapturesOwnSlabinfoSaysInBytes() throws Exception {
        // the lab's kmalloc leak (25% of RAM): the summary's largest cache and its bytes, against the slabinfo read here by hand
        Row c = captures.get("lab-slab-kmalloc-6.1-25");
        long pageSize = c.<Long>getAs("page_size");
        String top = null;
        long topBytes = -1;
        for (String line : Files.readAllLines(Path.of("cases/lab-slab-kmalloc-6.1-25/proc/slabinfo"))) {
            if (line.startsWith("slabinfo") || line.startsWith("#")) continue;
            String[] f = line.trim().split("\\s+");
            long bytes = Long.parseLong(f[14]) * Long.parseLong(f[5]) * pageSize;   // num_slabs x pagesperslab x page size
            if (bytes > topBytes) { topBytes = bytes; top = f[0]; }
        }
        List<Row> slabs = scala.jdk.javaapi.CollectionConverters.asJava(c.<scala.collection.Seq<Row>>getAs("slab_caches"));
        assertEquals(CaptureRow.TOP, slabs.size());
        assertEquals(top, slabs.get(0).getAs("cache"));
        assertEquals(topBytes, slabs.get(0).<Long>getAs("bytes"));
        for (int i = 1; i < slabs.size(); i++)
            assertTrue(slabs.get(i - 1).<Long>getAs("bytes") >= slabs.get(i).<Long>getAs("bytes"), "largest first");
        assertTrue(topBytes > c.<Long>getAs("ram_bytes") / 5, "the leak's cache holds over a fifth of RAM: " + topBytes);
    }

    @Test
    void theSummaryHoldsTheVmallocCallerThatHoldsMostPages() throws Exception {
        Row c = captures.get("lab-vmalloc-6.1-10");
        long pageSize = c.<Long>getAs("page_size");
        Map<String, Long> byCaller = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("cases/lab-vmalloc-6.1-10/proc/vmallocinfo"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3 || line.contains(" ioremap")) continue;
            // the caller as vmallocinfo prints it: function+off/size, then [module] when a module's
            String caller = f[2].replaceAll("\\+0x.*", "") + (f.length > 3 && f[3].startsWith("[") ? " " + f[3] : "");
            for (String w : f) if (w.startsWith("pages=")) byCaller.merge(caller, Long.parseLong(w.substring(6)) * pageSize, Long::sum);
        }
        Map.Entry<String, Long> top = byCaller.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        List<Row> vm = scala.jdk.javaapi.CollectionConverters.asJava(c.<scala.collection.Seq<Row>>getAs("vmalloc_callers"));
        assertEquals(top.getKey(), vm.get(0).<String>getAs("caller"));
        assertTrue(top.getKey().endsWith("[ipx_fwbuf]"), "the lab's leak module: " + top.getKey());
        assertEquals(top.getValue(), vm.get(0).<Long>getAs("bytes"));
        List<String> modules = scala.jdk.javaapi.CollectionConverters.asJava(c.<scala.collection.Seq<String>>getAs("modules"));
        assertTrue(modules.contains("ipx_fwbuf"), "the leak module is among the loaded ones: " + modules);
        assertEquals(modules.stream().sorted().toList(), modules);
        Row verdict = verdicts.get("lab-vmalloc-6.1-10").get(0);
        assertEquals("VMALLOC_LEAK", verdict.getAs("code"));
    }

    @Test
    void jsonLinesAreWrittenOnRequestWithTheSameRows() {
        long n = spark.read().json(out.resolve("json/verdicts").toString()).count();
        assertEquals(verdicts.values().stream().mapToLong(List::size).sum(), n);
        assertEquals(captures.size(), spark.read().json(out.resolve("json/captures").toString()).count());
    }

    private static String text(JsonNode host, String key) {
        JsonNode v = host.path(key).path("value");
        return v.isMissingNode() || v.isNull() || v.asText().isBlank() ? null : v.asText().strip();
    }

    private static Long number(JsonNode host, String key) {
        JsonNode v = host.path(key).path("value");
        return v.isNumber() ? v.asLong() : null;
    }

    private static void check(List<String> wrong, String where, String what, Object want, Object got) {
        if (!Objects.equals(want, got)) wrong.add(where + ": " + what + " CLI=" + want + " fleet=" + got);
    }
}
