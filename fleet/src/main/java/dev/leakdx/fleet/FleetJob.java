package dev.leakdx.fleet;

import dev.leakdx.engine.StageClock;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.posexplode;

/**
 * The fleet job: every capture under a Hadoop file system URI (a local folder, hdfs://, s3a://)
 * diagnosed on the executors with the CLI's extractors and packed knowledge base (one per executor
 * JVM, {@link ExecutorKnowledge}), written as two tables: {@code captures} (one row per capture:
 * identity, exit code, the summary the fleet questions read) and {@code verdicts} (one row per
 * verdict). Parquet always; JSON lines beside it on request.
 */
public final class FleetJob {
    /** What a run is asked for. */
    public record Options(String captures, String out, boolean json, int partitions) {}

    /**
     * What a run did: captures read, verdicts written, captures with no usable report, the job's wall time
     * and the diagnoses' own time summed over every capture (what the rest of the wall time is not: Spark).
     */
    public record Summary(long captures, long verdicts, long unusable, double seconds, double diagnoseSeconds) {}

    private FleetJob() {}

    /**
     * The captures under {@code root}: its entries (sub-folders and files, each a capture, as
     * {@code diagnose --batch} takes a folder), or {@code root} itself when it is one archive or file.
     * Hidden entries and Hadoop's own markers (_SUCCESS, _temporary) are not captures.
     */
    static List<String> list(String root, Configuration conf) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(root);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) throw new IllegalArgumentException(root + ": no such file or folder");
        FileStatus st = fs.getFileStatus(p);
        if (!st.isDirectory()) return List.of(st.getPath().toString());
        List<String> out = new ArrayList<>();
        FileStatus[] entries = fs.listStatus(p);
        Arrays.sort(entries, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        for (FileStatus e : entries) {
            String name = e.getPath().getName();
            if (name.startsWith(".") || name.startsWith("_")) continue;
            out.add(e.getPath().toString());
        }
        if (out.isEmpty()) throw new IllegalArgumentException(root + ": no captures in that folder");
        return out;
    }

    /** Runs the job on {@code spark}; the tables land in {@code out}/captures and {@code out}/verdicts. */
    public static Summary run(SparkSession spark, Options o) throws IOException {
        long t0 = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        List<String> uris = list(o.captures(), hadoop);
        StageClock.mark("fleet: " + uris.size() + " captures listed");
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // small slices: captures differ a hundredfold in cost (a /proc folder vs a vmcore's page tables),
        // and a slice is the unit one executor core works through
        int slices = o.partitions() > 0 ? o.partitions() : Math.max(1, Math.min(uris.size(), jsc.defaultParallelism() * 8));
        HadoopConf conf = HadoopConf.of(hadoop);
        // one Hadoop configuration per slice; each capture diagnosed as Spark asks for its row, none held
        JavaRDD<Row> rows = jsc.parallelize(uris, slices).mapPartitions(it -> {
            Configuration c = conf.get();
            return new Iterator<Row>() {
                @Override public boolean hasNext() { return it.hasNext(); }
                @Override public Row next() { return ExecutorKnowledge.diagnose(it.next(), c); }
            };
        });
        // Each capture is diagnosed once: the results (one nested row per capture) are written to a staging table,
        // and both tables are made from it. Spark's caches cost more here (a size estimate of every nested row, or a
        // columnar copy) than writing and reading back the staging Parquet, which is a hundredth of the input.
        String out = o.out().replaceAll("/+$", "");
        String staging = out + "/_staging";
        spark.createDataFrame(rows, FleetSchema.RESULT).write().mode(SaveMode.Overwrite).parquet(staging);
        StageClock.mark("fleet: captures diagnosed, staging table written");
        try {
            Dataset<Row> results = spark.read().schema(FleetSchema.RESULT).parquet(staging);
            Dataset<Row> captures = results.drop("verdicts");
            List<Column> cols = new ArrayList<>();
            for (var f : FleetSchema.IDENTITY) cols.add(col(f.name()));
            cols.add(posexplode(col("verdicts")).as(new String[] {"pos", "v"}));
            Dataset<Row> exploded = results.select(cols.toArray(Column[]::new));
            List<Column> flat = new ArrayList<>();
            for (var f : FleetSchema.IDENTITY) flat.add(col(f.name()));
            for (var f : FleetSchema.VERDICT.fields()) flat.add(col("v." + f.name()).as(f.name()));
            Dataset<Row> verdicts = exploded.select(flat.toArray(Column[]::new));

            captures.write().mode(SaveMode.Overwrite).parquet(out + "/captures");
            verdicts.write().mode(SaveMode.Overwrite).parquet(out + "/verdicts");
            StageClock.mark("fleet: tables written");
            if (o.json()) {
                captures.write().mode(SaveMode.Overwrite).json(out + "/json/captures");
                verdicts.write().mode(SaveMode.Overwrite).json(out + "/json/verdicts");
            }
            Row counts = results.selectExpr("count(*)", "coalesce(sum(verdict_count), 0)",
                    "count_if(exit_code = 2)", "coalesce(sum(diagnose_ms), 0)").first();
            StageClock.mark("fleet: tables counted");
            return new Summary(counts.getLong(0), counts.getLong(1), counts.getLong(2), (System.nanoTime() - t0) / 1e9,
                    counts.getLong(3) / 1e3);
        } finally {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(staging);
            p.getFileSystem(hadoop).delete(p, true);
        }
    }

    /**
     * The driver's Hadoop settings (file systems, S3 credentials given as spark.hadoop.*) carried to
     * the executors, which read the captures with them.
     */
    static final class HadoopConf implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Map<String, String> entries;

        private HadoopConf(Map<String, String> entries) { this.entries = entries; }

        static HadoopConf of(Configuration c) {
            Map<String, String> m = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : c) m.put(e.getKey(), e.getValue());
            return new HadoopConf(m);
        }

        Configuration get() {
            Configuration c = new Configuration(false);
            entries.forEach(c::set);
            return c;
        }
    }
}
