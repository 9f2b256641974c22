package dev.leakdx.fleet;

import dev.leakdx.capture.Failure;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.PackedKnowledge;
import dev.leakdx.extract.ExtractorRegistry;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What an executor JVM holds for the whole job: one Diagnoser, with the knowledge base loaded from
 * the executable model precompiled in the CLI's jar (the CLI's own start-up route, PackedKnowledge)
 * and the packed extractor specs. Built on the first capture an executor gets, shared by its task
 * threads (a Diagnoser shares its KieBase; each diagnose has its own session, as the CLI's batch).
 */
final class ExecutorKnowledge {
    private static volatile Diagnoser diagnoser;

    private ExecutorKnowledge() {}

    static Diagnoser diagnoser() {
        Diagnoser d = diagnoser;
        if (d != null) return d;
        synchronized (ExecutorKnowledge.class) {
            if (diagnoser == null) {
                try {
                    diagnoser = new Diagnoser(PackedKnowledge.get(), ExtractorRegistry.load(null));
                } catch (IOException e) {
                    throw new UncheckedIOException("the packed extractor specs could not be read", e);
                }
            }
            return diagnoser;
        }
    }

    /**
     * One capture by URI. A capture on the local file system is read where it is; one elsewhere (HDFS,
     * S3) is copied to the executor's temporary folder first, since the capture reader walks folders
     * and opens archives by path, and removed after.
     */
    static Row diagnose(String uri, Configuration conf) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
        String name = p.getName();
        try {
            FileSystem fs = p.getFileSystem(conf);
            if ("file".equals(fs.getScheme())) return CaptureRow.diagnose(diagnoser(), Path.of(fs.makeQualified(p).toUri()), name, uri);
            Path tmp = Files.createTempDirectory("leakdx-fleet-");
            try {
                Path local = tmp.resolve(name);
                fs.copyToLocalFile(false, p, new org.apache.hadoop.fs.Path(local.toUri()), true);
                return CaptureRow.diagnose(diagnoser(), local, name, uri);
            } finally {
                deleteTree(tmp);
            }
        } catch (IOException | RuntimeException e) {
            return CaptureRow.failed(name, uri, Failure.describe(e), 0);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is the executor's to clean; the capture's row is already made
        }
    }
}
