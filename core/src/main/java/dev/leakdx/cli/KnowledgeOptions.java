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

    /**
     * Rules are code: a DRL consequence is Java run with the user's rights. A --rules folder is said on
     * stderr before it is run, and one with no .drl file is refused (it would report "No leak found"
     * for every capture). A rule run has a time budget (Diagnoser, Limits.RULES_SECONDS).
     */
    void checkRules() {
        if (rules == null) return;
        if (!java.nio.file.Files.isDirectory(rules)) throw new IllegalArgumentException("--rules " + rules + ": not a folder");
        long drl;
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(rules)) {
            drl = s.filter(p -> p.toString().endsWith(".drl") && java.nio.file.Files.isRegularFile(p)).count();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("--rules " + rules + ": " + dev.leakdx.capture.Failure.reason(e));
        }
        if (drl == 0) throw new IllegalArgumentException("--rules " + rules + ": no .drl file in that folder; nothing to run");
        System.err.println("leakdx: running the rules of " + rules + " (" + drl + " .drl files): rules are code, run with your rights; use only rules you trust");
    }

    /** The rules load in the background while the capture is read; a compile error surfaces when they are needed. */
    Diagnoser diagnoser() throws Exception {
        checkRules();
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
