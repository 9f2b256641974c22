package dev.leakdx.fleet;

import dev.leakdx.cli.Main;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code leakdx fleet} and {@code leakdx fleet-report}: the Spark job and the fleet questions. In
 * local mode by default (Spark inside this JVM, one task per core); under spark-submit the cluster's
 * master is used as given (knowledge-base-docs/fleet.md).
 */
@Command(name = "leakdx", mixinStandardHelpOptions = true, version = "leakdx " + Main.VERSION + " fleet (Apache Spark)",
        subcommands = {FleetMain.Fleet.class, FleetMain.FleetReportCommand.class},
        description = "Diagnose many captures with Apache Spark and answer the questions only a fleet answers.")
public final class FleetMain implements Runnable {
    @Override public void run() { new CommandLine(this).usage(System.out); }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new FleetMain());
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            // Spark's messages can run to pages (a whole query plan): the first line says what went wrong
            System.err.println("leakdx " + c.getCommandName() + ": " + oneLine(e));
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            if (root != e) System.err.println("  because: " + oneLine(root));
            return 2;
        });
        return cl.execute(args);
    }

    static String oneLine(Throwable e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
        return msg.length() > 300 ? msg.substring(0, 300) + "..." : msg;
    }

    /** Spark in this JVM unless a master is already set (spark-submit, or -Dspark.master). */
    static SparkSession session(String master, String app) {
        SparkSession.Builder b = SparkSession.builder().appName(app)
                .config("spark.ui.enabled", "false")            // no web UI on a laptop run; a cluster keeps its own
                .config("spark.sql.shuffle.partitions", "16");  // the fleet tables are small: aggregates, not raw lines
        if (master != null) b.master(master);
        else if (!new SparkConf().contains("spark.master")) b.master("local[*]");
        SparkSession s = b.getOrCreate();
        dev.leakdx.engine.StageClock.mark("fleet: Spark session started");
        s.sparkContext().setLogLevel("WARN");
        return s;
    }

    @Command(name = "fleet", mixinStandardHelpOptions = true,
            description = {"Diagnose every capture under CAPTURES (a folder of capture folders and archives, on any Hadoop file system: "
                    + "a local path, hdfs://, s3a://) with Apache Spark, as `leakdx diagnose` would each, and write the tables "
                    + "captures/ and verdicts/ (Parquet) to OUT."},
            footer = {"", "Exit codes: 0 every capture diagnosed, 1 some could not be used (their rows say why), 2 the job failed."})
    static final class Fleet implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CAPTURES", description = "Folder (or URI) whose entries are captures; or one capture.")
        String captures;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Folder (or URI) for the tables.")
        String out;

        @Option(names = "--json", description = "Also write the tables as JSON lines (OUT/json/captures, OUT/json/verdicts).")
        boolean json;

        @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: local[*], or what spark-submit sets).")
        String master;

        @Option(names = "--partitions", paramLabel = "N", description = "Slices of the capture list (default: 8 per core).")
        int partitions;

        @Override public Integer call() throws Exception {
            // the knowledge base starts loading now, beside Spark's start-up: in local mode the executor is this JVM
            // and takes the same one (ExecutorKnowledge); on a cluster the driver's copy is merely unused
            dev.leakdx.engine.PackedKnowledge.get();
            SparkSession spark = session(master, "leakdx fleet");
            try {
                FleetJob.Summary s = FleetJob.run(spark, new FleetJob.Options(captures, out, json, partitions));
                System.out.printf(Locale.ROOT, "leakdx fleet: %d captures diagnosed (%d unusable), %d verdicts, in %.1f s (%.1f captures/s; "
                        + "the diagnoses themselves %.1f s of thread time); tables in %s/captures and %s/verdicts%n", s.captures(), s.unusable(),
                        s.verdicts(), s.seconds(), s.captures() / Math.max(1e-9, s.seconds()), s.diagnoseSeconds(), out, out);
                return s.unusable() > 0 ? 1 : 0;
            } finally {
                spark.stop();
            }
        }
    }

    @Command(name = "fleet-report", mixinStandardHelpOptions = true,
            description = {"Answer the fleet questions over the tables `leakdx fleet` wrote to OUT, with the Spark SQL files of "
                    + "fleet/sql/ (or --sql DIR): verdict rates by kernel release and architecture against the fleet's base rate, "
                    + "slab caches and vmalloc callers that grow across hosts, the hosts that will run out of memory soonest, "
                    + "the kernel modules that go with a verdict. "
                    + "Prints Markdown; writes OUT/fleet-report.md and OUT/fleet-report.html (with charts)."})
    static final class FleetReportCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "OUT", description = "The folder `leakdx fleet -o` wrote.")
        String out;

        @Option(names = "--sql", paramLabel = "DIR", description = "Read the questions from DIR's *.sql files instead of the packed ones.")
        Path sql;

        @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: local[*], or what spark-submit sets).")
        String master;

        @Option(names = "--quiet", description = "Write the report files only; print nothing.")
        boolean quiet;

        @Override public Integer call() throws Exception {
            SparkSession spark = session(master, "leakdx fleet-report");
            try {
                FleetReport report = FleetReport.run(spark, out, FleetQuery.load(sql));
                report.write(out);
                if (!quiet) System.out.print(report.markdown());
                System.err.println("leakdx fleet-report: " + report.sections().size() + " questions answered; " + out + "/fleet-report.md, "
                        + out + "/fleet-report.html");
                return 0;
            } finally {
                spark.stop();
            }
        }
    }
}
