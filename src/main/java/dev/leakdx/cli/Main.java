package dev.leakdx.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code leakdx}: diagnose Linux kernel memory leaks from the captures an engineer already has.
 * Exit codes: 0 no warning or critical verdict, 1 at least one, 2 unusable input or arguments.
 */
@Command(name = "leakdx", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Diagnoses Linux kernel memory leaks from crash transcripts, /proc files, page-types output and dmesg.",
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
        // A diagnose with the packed rules needs the knowledge base last; start loading it before anything else.
        if (args.length > 0 && args[0].equals("diagnose")
                && java.util.Arrays.stream(args).noneMatch(a -> a.startsWith("--rules") || a.equals("--help") || a.equals("-h")))
            dev.leakdx.engine.PackedKnowledge.get();
        System.exit(run(args));
    }

    public static int run(String... args) {
        // Drools logs through slf4j-simple (INFO build messages, WARN per eval, ERROR for compile errors that we
        // report ourselves as file:line:col); users want the report, not the engine's chatter.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "off"));
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("leakdx: " + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()));
            if (Boolean.getBoolean("leakdx.debug")) ex.printStackTrace(line.getErr());
            return 2;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("leakdx: " + ex.getMessage());
            if (ex instanceof CommandLine.UnmatchedArgumentException u) Suggest.nearest(u, ex.getCommandLine().getErr());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        return cl.execute(args);
    }
}
