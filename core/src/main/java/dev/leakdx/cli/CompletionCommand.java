package dev.leakdx.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Prints a bash completion script for leakdx: commands, options, their values (formats, rule codes, fact types) and files.",
                "Load it with `source <(./leakdx completion)`, or save it as /etc/bash_completion.d/leakdx."})
final class CompletionCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        // the root command line, so every sub-command and option is in the script
        CommandLine root = spec.commandLine();
        while (root.getParent() != null) root = root.getParent();
        System.out.print(AutoComplete.bash("leakdx", root));
        System.out.flush();
        return 0;
    }
}
