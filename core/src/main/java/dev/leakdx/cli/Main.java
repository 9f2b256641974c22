package dev.leakdx.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code leakdx}: diagnose Linux kernel memory leaks from the captures an engineer already has.
 * Exit codes: 0 no warning or critical verdict, 1 at least one, 2 unusable input or arguments.
 */
@Command(name = "leakdx", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Diagnoses Linux kernel memory leaks from crash transcripts, /proc files, page-types output and dmesg.",
        // the Spark job is a program of its own (module fleet/, kept out of this jar); the launcher runs it
        footer = {"", "Many captures on Apache Spark: ./leakdx fleet CAPTURES -o OUT, then ./leakdx fleet-report OUT "
                + "(knowledge-base-docs/fleet.md)."},
        subcommands = {DiagnoseCommand.class, CaptureCommand.class, FactsCommand.class, RulesCommand.class, FormatsCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final String VERSION = "0.1.0";

    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() { return new String[] {"leakdx " + VERSION + " (Drools 10.1.0, Java " + System.getProperty("java.version") + ")"}; }
    }

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        int rc;
        // a thread that dies of an Error says nothing on its own: what failed is reported once, as one line, by whoever waited for it
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (Boolean.getBoolean("leakdx.debug")) e.printStackTrace();
        });
        try {
            // A diagnose with the packed rules needs the knowledge base last; start loading it before anything else.
            if (args.length > 0 && args[0].equals("diagnose")
                    && java.util.Arrays.stream(args).noneMatch(a -> a.startsWith("--rules") || a.equals("--help") || a.equals("-h")))
                dev.leakdx.engine.PackedKnowledge.get();
            // leftovers of runs that were killed outright (a SIGKILL, a power cut): this run's are removed by a shutdown hook
            dev.leakdx.capture.TempDirs.cleanStale();
            rc = run(args);
        } catch (Throwable t) {
            rc = fail(new java.io.PrintWriter(System.err, true), t);
        }
        System.exit(rc);
    }

    /** One line on stderr (the stack trace only with -Dleakdx.debug=true), exit code 2: whatever went wrong, OutOfMemoryError included. */
    static int fail(java.io.PrintWriter err, Throwable t) {
        err.println("leakdx: " + dev.leakdx.capture.Failure.describe(t));
        if (Boolean.getBoolean("leakdx.debug")) t.printStackTrace(err);
        err.flush();
        return 2;
    }

    public static int run(String... args) {
        // Drools logs through slf4j-simple (INFO build messages, WARN per eval, ERROR for compile errors that we
        // report ourselves as file:line:col); users want the report, not the engine's chatter.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "off"));
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, line, parsed) -> fail(line.getErr(), ex));
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("leakdx: " + ex.getMessage());
            if (ex instanceof CommandLine.UnmatchedArgumentException u) Suggest.nearest(u, ex.getCommandLine().getErr());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        try {
            return cl.execute(args);
        } catch (Throwable t) { // an Error (OutOfMemoryError, StackOverflowError) is not picocli's to handle
            return fail(cl.getErr(), t);
        }
    }
}
