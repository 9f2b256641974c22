package dev.leakdx.fleet;

import dev.leakdx.cli.Main;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where captures come from: a folder, a .tar.gz bundle, a file that is no capture, and a folder on a
 * file system that is not the local one (a test scheme, {@code leakdxtest://}, served from local
 * disk by Hadoop's RawLocalFileSystem), whose captures the executors copy to their temporary folder
 * first as they would from HDFS or S3. Every capture is one row; the unreadable one says why.
 */
class FleetSourcesTest {
    /** Hadoop's local file system under another scheme: the job cannot take its paths for local ones. */
    public static final class ElsewhereFileSystem extends RawLocalFileSystem {
        @Override public String getScheme() { return "leakdxtest"; }
        @Override public URI getUri() { return URI.create("leakdxtest:///"); }
    }

    static SparkSession spark;
    static Map<String, Row> local = new HashMap<>(), remote = new HashMap<>();
    static Path dir;

    @BeforeAll
    static void run(@TempDir Path tmp) throws Exception {
        dir = Files.createDirectories(tmp.resolve("in"));
        copyTree(Path.of("cases/lab-thp-proc"), dir.resolve("lab-thp-proc"));
        tarGz(Path.of("cases/case2-proc"), dir.resolve("case2-proc.tar.gz"));
        Files.writeString(dir.resolve("notes.txt"), "nothing leakdx reads\n");
        Files.writeString(dir.resolve(".hidden"), "not a capture\n");
        spark = SparkSession.builder().master("local[2]").appName("leakdx fleet sources test")
                .config("spark.ui.enabled", "false")
                .config("spark.hadoop.fs.leakdxtest.impl", ElsewhereFileSystem.class.getName())
                .config("spark.hadoop.fs.leakdxtest.impl.disable.cache", "true")
                .getOrCreate();
        FleetJob.run(spark, new FleetJob.Options(dir.toString(), tmp.resolve("out-local").toString(), false, 0));
        FleetJob.run(spark, new FleetJob.Options("leakdxtest://" + dir, "leakdxtest://" + tmp.resolve("out-remote"), false, 0));
        for (Row r : spark.read().parquet(tmp.resolve("out-local/captures").toString()).collectAsList()) local.put(r.getAs("capture"), r);
        for (Row r : spark.read().parquet(tmp.resolve("out-remote/captures").toString()).collectAsList()) remote.put(r.getAs("capture"), r);
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    static void tarGz(Path from, Path archive) throws IOException {
        try (OutputStream o = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(o));
             Stream<Path> s = Files.walk(from)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                TarArchiveEntry e = new TarArchiveEntry(p.toFile(), from.getFileName() + "/" + from.relativize(p));
                tar.putArchiveEntry(e);
                Files.copy(p, tar);
                tar.closeArchiveEntry();
            }
        }
    }

    @Test
    void everyEntryButHiddenOnesIsOneRowFromEitherFileSystem() {
        assertEquals(Map.of("lab-thp-proc", 1, "case2-proc.tar.gz", 1, "notes.txt", 1).keySet(), local.keySet());
        assertEquals(local.keySet(), remote.keySet());
        assertTrue(remote.get("lab-thp-proc").<String>getAs("capture_uri").startsWith("leakdxtest:"));
    }

    @Test
    void anArchiveAndACopiedCaptureGetTheCliVerdicts(@TempDir Path tmp) throws Exception {
        for (String name : List.of("lab-thp-proc", "case2-proc.tar.gz")) {
            Path json = tmp.resolve(name + ".json");
            Main.run("diagnose", dir.resolve(name).toString(), "--format", "json", "-o", json.toString());
            String want = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).path("verdicts").path(0).path("code").asText();
            assertTrue(!want.isEmpty(), name + " has a verdict");
            for (Map<String, Row> rows : List.of(local, remote)) {
                Row r = rows.get(name);
                assertNull(r.getAs("error"), name + ": " + r.getAs("error"));
                assertEquals(want, r.getAs("top_code"), name);
            }
            assertEquals(local.get(name).<Integer>getAs("verdict_count"), remote.get(name).<Integer>getAs("verdict_count"));
            assertEquals(local.get(name).<Long>getAs("ram_bytes"), remote.get(name).<Long>getAs("ram_bytes"));
        }
    }

    @Test
    void aFileThatIsNoCaptureIsARowThatSaysSo() {
        for (Map<String, Row> rows : List.of(local, remote)) {
            Row r = rows.get("notes.txt");
            assertEquals(2, r.<Integer>getAs("exit_code"));
            assertEquals(0, r.<Integer>getAs("verdict_count"));
        }
    }
}
