package dev.leakdx.cli;

import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.KnowledgeBase;
import dev.leakdx.engine.PackedKnowledge;
import dev.leakdx.engine.StageClock;
import dev.leakdx.extract.ExtractorRegistry;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/** --rules and --extractors: where the knowledge comes from (the packed copy by default). */
final class KnowledgeOptions {
    @Option(names = "--rules", paramLabel = "DIR", description = "Read the DRL rules from DIR instead of the packed rules/; they are compiled at every start, so edits show at once.")
    Path rules;

    @Option(names = "--extractors", paramLabel = "DIR", description = "Read the extractor specs from DIR instead of the packed facts-extractors/.")
    Path extractors;

    /** The rules load in the background while the capture is read; a compile error surfaces when they are needed. */
    Diagnoser diagnoser() throws Exception {
        Future<KnowledgeBase> kb = rules == null ? PackedKnowledge.get() : CompletableFuture.supplyAsync(() -> {
            try {
                KnowledgeBase loaded = KnowledgeBase.load(rules);
                StageClock.mark("knowledge base ready: " + loaded.route());
                return loaded;
            } catch (KnowledgeBase.RuleCompileException e) {
                throw new IllegalArgumentException("the rules do not compile:\n" + e.getMessage());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        });
        ExtractorRegistry registry = ExtractorRegistry.load(extractors);
        StageClock.mark("extractor specs loaded");
        return new Diagnoser(kb, registry);
    }
}
