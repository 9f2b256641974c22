package dev.leakdx.cli;

import dev.leakdx.engine.KnowledgeBase;
import dev.leakdx.engine.RuleInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "rules", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Lists the rules of the knowledge base, or shows one.",
        subcommands = {RulesCommand.ListRules.class, RulesCommand.Show.class})
final class RulesCommand implements Runnable {
    @Override public void run() { new picocli.CommandLine(this).usage(System.out); }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per rule: code, family, name, file.")
    static final class ListRules implements Callable<Integer> {
        @Mixin KnowledgeOptions knowledge;

        @Override public Integer call() throws Exception {
            KnowledgeBase kb = load(knowledge);
            System.out.printf(Locale.ROOT, "%-28s %-14s %-60s %s%n", "CODE", "FAMILY", "RULE", "FILE");
            for (RuleInfo r : kb.rules().values())
                System.out.printf(Locale.ROOT, "%-28s %-14s %-60s %s%n", r.code(), r.family(), r.name(), r.file());
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows the rules with a given code or name, with their documentation.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "CODE_OR_NAME") String what;
        @Mixin KnowledgeOptions knowledge;

        @Override public Integer call() throws Exception {
            int n = 0;
            for (RuleInfo r : load(knowledge).rules().values()) {
                if (!r.code().equals(what) && !r.name().equals(what)) continue;
                n++;
                System.out.printf(Locale.ROOT, "rule \"%s\"%n  code:   %s%n  family: %s%n  file:   %s%n  doc:    %s%n%n", r.name(), r.code(), r.family(), r.file(), r.doc());
            }
            if (n == 0) throw new IllegalArgumentException("no rule has the code or name '" + what + "' (see: leakdx rules list)");
            return 0;
        }
    }

    static KnowledgeBase load(KnowledgeOptions k) throws Exception {
        try {
            return KnowledgeBase.load(k.rules);
        } catch (KnowledgeBase.RuleCompileException e) {
            throw new IllegalArgumentException("the rules do not compile:\n" + e.getMessage());
        }
    }
}
