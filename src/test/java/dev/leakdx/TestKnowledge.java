package dev.leakdx;

import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.KnowledgeBase;
import dev.leakdx.extract.ExtractorRegistry;

import java.nio.file.Path;

/** The packed rules and extractors, compiled once per test JVM (a KieBase build costs seconds). */
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
