package dev.leakdx.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command answers --help and --version; the completion script covers the commands and their options. */
class CommandsTest {
    @Test void everyCommandHasHelpAndVersion() {
        List<List<String>> paths = new ArrayList<>();
        walk(new CommandLine(new Main()), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 8, "commands found: " + paths);
        for (List<String> p : paths) {
            List<String> help = new ArrayList<>(p);
            help.add("--help");
            CliRun h = CliRun.of(help.toArray(String[]::new));
            assertEquals(0, h.exit(), p + " --help: " + h.err());
            assertTrue(h.out().startsWith("Usage: leakdx"), p + " --help printed: " + h.out());
            List<String> version = new ArrayList<>(p);
            version.add("--version");
            CliRun v = CliRun.of(version.toArray(String[]::new));
            assertEquals(0, v.exit(), p + " --version");
            assertTrue(v.out().startsWith("leakdx " + Main.VERSION), p + " --version printed: '" + v.out() + "'");
        }
    }

    private static void walk(CommandLine cl, List<String> path, List<List<String>> out) {
        if (cl.getCommand() instanceof CommandLine.HelpCommand) return; // picocli's own 'help'
        out.add(List.copyOf(path));
        for (var e : cl.getSubcommands().entrySet()) {
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            walk(e.getValue(), p, out);
        }
    }

    @Test void completionScriptCompletesCommandsAndOptions() {
        CliRun r = CliRun.of("completion");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("complete -F"), "a bash completion script");
        for (String w : List.of("diagnose", "rules", "catalogue", "--explain-rule", "--redact", "--format", "--rules"))
            assertTrue(r.out().contains(w), "completion lacks " + w);
    }
}
