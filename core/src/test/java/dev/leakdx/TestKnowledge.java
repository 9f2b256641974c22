package dev.leakdx;

import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.KnowledgeBase;
import dev.leakdx.extract.ExtractorRegistry;

import java.nio.file.Path;

/**
 * The rules and extractors of the source tree, compiled once per test JVM (a KieBase build costs
 * seconds) through the DRL route, as an expert's {@code --rules} folder is; CompiledRulesTest
 * checks that the precompiled model leakdx starts from concludes the same.
 */
public final class TestKnowledge {
    private static Diagnoser diagnoser;

    private TestKnowledge() {}

    public static synchronized Diagnoser diagnoser() {
        if (diagnoser == null) {
            try {
                diagnoser = new Diagnoser(KnowledgeBase.load(Path.of("rules")), ExtractorRegistry.load(Path.of("facts-extractors")));
            } catch (Exception e) {
                throw new IllegalStateException("knowledge does not load: " + e.getMessage(), e);
            }
        }
        return diagnoser;
    }
}
