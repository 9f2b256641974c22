package dev.leakdx.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The packed knowledge base, loaded once per process on a background thread. The command line
 * starts it before parsing its own arguments: on a cold start the KieBase is the longest stage,
 * and the ~0.2 s the CLI needs to parse (picocli's reflection runs interpreted) would otherwise
 * come before it rather than beside it.
 */
public final class PackedKnowledge {
    private static volatile CompletableFuture<KnowledgeBase> loading;

    private PackedKnowledge() {}

    /** Starts loading if nothing has; cheap to call again. */
    public static Future<KnowledgeBase> get() {
        CompletableFuture<KnowledgeBase> f = loading;
        if (f != null) return f;
        synchronized (PackedKnowledge.class) {
            if (loading == null) {
                CompletableFuture<KnowledgeBase> started = new CompletableFuture<>();
                Thread t = new Thread(() -> {
                    try {
                        KnowledgeBase kb = KnowledgeBase.load(null);
                        StageClock.mark("knowledge base ready: " + kb.route());
                        started.complete(kb);
                    } catch (KnowledgeBase.RuleCompileException e) {
                        started.completeExceptionally(new IllegalArgumentException("the rules do not compile:\n" + e.getMessage()));
                    } catch (Exception | LinkageError e) {
                        started.completeExceptionally(new IllegalArgumentException(e.getMessage() == null ? e.toString() : e.getMessage(), e));
                    }
                }, "leakdx-rules");
                t.setDaemon(true);
                t.start();
                loading = started;
            }
            return loading;
        }
    }
}
