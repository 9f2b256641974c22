package dev.leakdx.cli;

import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.KnowledgeBase;
import dev.leakdx.extract.ExtractorRegistry;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** --rules and --extractors: where the knowledge comes from (the packed copy by default). */
final class KnowledgeOptions {
    @Option(names = "--rules", paramLabel = "DIR", description = "Read DRL rules from DIR instead of the packed rules/.")
    Path rules;

    @Option(names = "--extractors", paramLabel = "DIR", description = "Read extractor specs from DIR instead of the packed facts-extractors/.")
    Path extractors;

    /** The rules compile in the background while the capture is read; a compile error surfaces when they are needed. */
    Diagnoser diagnoser() throws Exception {
        CompletableFuture<KnowledgeBase> kb = CompletableFuture.supplyAsync(() -> {
            try {
                return KnowledgeBase.load(rules);
            } catch (KnowledgeBase.RuleCompileException e) {
                throw new IllegalArgumentException("the rules do not compile:\n" + e.getMessage());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        });
        return new Diagnoser(kb, ExtractorRegistry.load(extractors));
    }
}
