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

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Lists the rules, one per line: code, family, name and file.")
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

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Shows the rules with the given codes or names, with their documentation.",
                    "With no CODE_OR_NAME, the codes are read from standard input, the first word of each line, so that "
                            + "`leakdx rules list | grep slab | leakdx rules show` shows the rules listed."})
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "CODE_OR_NAME", arity = "0..*", completionCandidates = Completion.RuleCodes.class,
                description = "A rule's code (as `leakdx rules list` prints it) or its name; several may be given.")
        List<String> what = new ArrayList<>();
        @Mixin KnowledgeOptions knowledge;

        @Override public Integer call() throws Exception {
            List<String> wanted = new ArrayList<>(what);
            if (wanted.isEmpty()) {
                if (dev.leakdx.capture.Tty.isTerminal(0))
                    throw new IllegalArgumentException("name a rule code (see: leakdx rules list), or pipe codes in: leakdx rules list | leakdx rules show");
                for (String line : new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                    String first = line.strip().split("\\s+")[0];
                    if (!first.isEmpty() && !first.equals("CODE")) wanted.add(first);
                }
            }
            java.util.Set<String> found = new java.util.HashSet<>();
            for (RuleInfo r : load(knowledge).rules().values()) {
                if (!wanted.contains(r.code()) && !wanted.contains(r.name())) continue;
                found.add(r.code());
                found.add(r.name());
                System.out.printf(Locale.ROOT, "rule \"%s\"%n  code:   %s%n  family: %s%n  file:   %s%n  doc:    %s%n%n", r.name(), r.code(), r.family(), r.file(), r.doc());
            }
            for (String w : wanted)
                if (!found.contains(w)) {
                    String near = Completion.nearest(w, Completion.ruleCodes());
                    throw new IllegalArgumentException("no rule has the code or name '" + w + "'" + (near == null ? "" : " (did you mean " + near + "?)")
                            + "; see: leakdx rules list");
                }
            return 0;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Diagnoses every case folder (capture files and an expected.yaml) under CASES_DIR with one rule set and checks it as mvn verify does.",
                    "It prints, per case, expected and got, each unmet expectation and PASS or FAIL; then a summary and the confusion table. "
                            + "Exit code 0 when every case passes, 1 otherwise, 2 when the rules do not compile.",
                    "With --rules and --extractors an expert iterates on knowledge without rebuilding."})
    static final class TestCases implements Callable<Integer> {
        static final Path DEFAULT = Path.of("cases");

        @Parameters(paramLabel = "CASES_DIR", arity = "0..1",
                description = "A folder of case folders (default: cases, when run from a checkout).")
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
            description = {"Writes the rule catalogue in Markdown: every rule's code, family, name, file, documentation and the fact types its left-hand side matches.",
                    "The checked-in copy is knowledge-base-docs/rule-catalogue.md, written by " + RuleCatalogue.COMMAND + "."})
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
