package dev.leakdx.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** "Did you mean": the sub-command or option nearest to a mistyped one. */
final class Suggest {
    private Suggest() {}

    static void nearest(CommandLine.UnmatchedArgumentException u, PrintWriter err) {
        List<String> unmatched = u.getUnmatched();
        if (unmatched.isEmpty()) return;
        String typed = unmatched.get(0);
        CommandLine.Model.CommandSpec spec = u.getCommandLine().getCommandSpec();
        List<String> names = new ArrayList<>();
        if (typed.startsWith("-")) spec.options().forEach(o -> names.addAll(List.of(o.names())));
        else names.addAll(spec.subcommands().keySet());
        String near = Completion.nearest(typed, names);
        if (near != null && !near.equals(typed)) err.println("Did you mean '" + spec.qualifiedName() + " " + near + "'?");
    }
}
