package dev.leakdx.cli;

import dev.leakdx.authoring.NearMiss;
import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.KnowledgeBase;
import dev.leakdx.extract.ExtractorRegistry;
import dev.leakdx.extract.ResourceFolder;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code diagnose CAPTURE --explain-rule CODE}: the near miss of a rule on this capture (see {@link NearMiss}). */
final class ExplainRule {
    private ExplainRule() {}

    static String run(Path capture, String codeOrName, KnowledgeOptions k) throws Exception {
        List<ResourceFolder.Item> drls = ResourceFolder.read(k.rules, "rules", ".drl");
        NearMiss.plan(drls, codeOrName, false); // an unknown code fails now, before the capture is read
        CompletableFuture<NearMiss.Built> built = CompletableFuture.supplyAsync(() -> {
            try {
                return NearMiss.build(drls, codeOrName);
            } catch (KnowledgeBase.RuleCompileException e) {
                throw new IllegalArgumentException("the rules do not compile:\n" + e.getMessage());
            }
        });
        Diagnoser d = new Diagnoser(built.thenApply(NearMiss.Built::kb), ExtractorRegistry.load(k.extractors));
        try (Capture c = CaptureOpener.open(capture)) {
            if (c.files().isEmpty()) throw new IllegalArgumentException(capture + ": the capture holds no files");
            Diagnoser.Extraction e = d.extract(c);
            d.knowledgeBase(); // surfaces a compile error as such
            return NearMiss.render(NearMiss.run(built.join().plan(), d, c.name(), e.facts(), e.sink()), c.name());
        }
    }
}
