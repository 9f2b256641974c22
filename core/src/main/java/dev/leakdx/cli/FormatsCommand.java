package dev.leakdx.cli;

import dev.leakdx.extract.ExtractorRegistry;
import dev.leakdx.extract.ExtractorSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "formats", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Lists the capture formats the extractors recognise, with an example line each.")
final class FormatsCommand implements Callable<Integer> {
    @Mixin KnowledgeOptions knowledge;

    @Override public Integer call() throws Exception {
        for (ExtractorSpec s : ExtractorRegistry.load(knowledge.extractors).specs()) {
            System.out.printf(Locale.ROOT, "%-22s %s%n", s.id(), s.title());
            if (s.command() != null) System.out.printf(Locale.ROOT, "%-22s   crash command: /%s/%n", "", s.command().pattern());
            for (String e : s.allExamples())
                System.out.printf(Locale.ROOT, "%-22s   e.g. %s%n", "", e.strip().lines().findFirst().orElse(""));
        }
        return 0;
    }
}
