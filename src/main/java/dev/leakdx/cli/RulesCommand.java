package dev.leakdx.cli;

import dev.leakdx.authoring.RuleCatalogue;
import dev.leakdx.casecheck.CaseCheck;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.KnowledgeBase;
import dev.leakdx.extract.ResourceFolder;
import dev.leakdx.engine.RuleInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "rules", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Lists the rules of the knowledge base, shows one, tests them against case folders, or writes their catalogue.",
        subcommands = {RulesCommand.ListRules.class, RulesCommand.Show.class, RulesCommand.TestCases.class, RulesCommand.Catalogue.class})
final class RulesCommand implements Runnable {
    @Override public void run() { new picocli.CommandLine(this).usage(System.out); }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "One line per rule: code, family, name, file.")
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

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Shows the rules with a given code or name, with their documentation.")
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

    @Command(name = "test", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Diagnoses every case folder (capture files + expected.yaml) under CASES_DIR with one rule set and checks",
                    "it as mvn verify does: per case expected vs got, each unmet expectation, PASS/FAIL; then a summary and",
                    "the confusion table. Exit code 0 when every case passes, 1 otherwise, 2 when the rules do not compile.",
                    "With --rules and --extractors an expert iterates on knowledge without rebuilding."})
    static final class TestCases implements Callable<Integer> {
        static final Path DEFAULT = Path.of("src/test/resources/cases");

        @Parameters(paramLabel = "CASES_DIR", arity = "0..1",
                description = "A folder of case folders (default: src/test/resources/cases, when run from a checkout).")
        Path cases;

        @Mixin KnowledgeOptions knowledge;

        @Override public Integer call() throws Exception {
            Path dir = cases;
            if (dir == null) {
                if (!Files.isDirectory(DEFAULT))
                    throw new IllegalArgumentException("no CASES_DIR given and no " + DEFAULT + " here: name a folder whose sub-folders "
                            + "each hold a capture and an expected.yaml (e.g. leakdx rules test my-cases/)");
                dir = DEFAULT;
            }
            if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": no such folder");
            List<Path> folders = CaseCheck.caseFolders(dir);
            if (folders.isEmpty()) throw new IllegalArgumentException(dir + ": no sub-folder holds an expected.yaml");
            Diagnoser d = knowledge.diagnoser();
            d.knowledgeBase(); // a DRL error stops here, as rules/x.drl:line:col lines, before any case runs
            List<CaseCheck.Outcome> outcomes = new ArrayList<>();
            PrintStream out = System.out;
            for (Path f : folders) {
                CaseCheck.Outcome o;
                try {
                    o = CaseCheck.run(d, f, "leakdx " + Main.VERSION);
                } catch (Exception e) {
                    o = new CaseCheck.Outcome(f.getFileName().toString(), "?", "(error)",
                            List.of("diagnosis failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())), null);
                }
                outcomes.add(o);
                out.printf(Locale.ROOT, "%s  %-34s expected %-28s got %s%n", o.passed() ? (o.isKnownMiss() ? "MISS" : "PASS") : "FAIL",
                        o.name(), o.expectedTop(), o.gotTop());
                if (o.isKnownMiss() && o.passed()) out.println("        known miss: " + o.knownMiss());
                for (String p : o.isKnownMiss() ? o.problems() : o.failures()) out.println("        " + p);
                if (o.isKnownMiss() && !o.passed()) o.failures().forEach(p -> out.println("        " + p));
                out.flush();
            }
            long failed = outcomes.stream().filter(o -> !o.passed()).count();
            out.println();
            out.printf(Locale.ROOT, "summary: %d cases, %d passed, %d failed%n%n", outcomes.size(), outcomes.size() - failed, failed);
            out.print(CaseCheck.confusionTable(outcomes));
            out.flush();
            return failed == 0 ? 0 : 1;
        }
    }

    @Command(name = "catalogue", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Writes the rule catalogue (Markdown): every rule's code, family, name, file, doc and the fact types its",
                    "left-hand side matches. The checked-in copy is knowledge-base-docs/rule-catalogue.md:",
                    "  " + RuleCatalogue.COMMAND})
    static final class Catalogue implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
        Path output;

        @Mixin KnowledgeOptions knowledge;

        @Override public Integer call() throws Exception {
            KnowledgeBase kb = load(knowledge);
            DiagnoseCommand.write(RuleCatalogue.markdown(RuleCatalogue.entries(kb, ResourceFolder.read(knowledge.rules, "rules", ".drl"))), output);
            return 0;
        }
    }

    static KnowledgeBase load(KnowledgeOptions k) throws Exception {
        k.checkRules();
        try {
            return KnowledgeBase.load(k.rules);
        } catch (KnowledgeBase.RuleCompileException e) {
            throw new IllegalArgumentException("the rules do not compile:\n" + e.getMessage());
        }
    }
}
