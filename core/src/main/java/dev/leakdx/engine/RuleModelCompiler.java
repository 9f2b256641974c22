package dev.leakdx.engine;

import dev.leakdx.extract.ResourceFolder;
import org.drools.compiler.kie.builder.impl.InternalKieModule;
import org.drools.model.codegen.ExecutableModelProject;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Build-time tool (run by Maven in {@code process-classes}): compiles a rules folder to Drools'
 * executable model and writes the kjar and the hash {@link CompiledRules} checks. Needs
 * drools-model-codegen, which is a build-only dependency; nothing at run time calls this class.
 *
 * <p>A rule the executable model cannot compile (it is stricter than the DRL compiler, e.g. a
 * method called without {@code this.} inside a pattern) does not break the build: its errors are
 * printed, no kjar is written, and leakdx starts through the DRL route, only slower. The test
 * {@code CompiledRulesTest} then fails, so CI catches it.
 */
public final class RuleModelCompiler {
    private RuleModelCompiler() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: RuleModelCompiler RULES_DIR OUTPUT_DIR (writes " + CompiledRules.KJAR + " and " + CompiledRules.HASH + " under OUTPUT_DIR)");
            System.exit(2);
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "off");
        Path out = Path.of(args[1]);
        Path kjar = out.resolve(CompiledRules.KJAR), hashFile = out.resolve(CompiledRules.HASH);
        Files.deleteIfExists(kjar);
        Files.deleteIfExists(hashFile);
        List<ResourceFolder.Item> drls = ResourceFolder.read(Path.of(args[0]), "rules", ".drl");
        String hash = CompiledRules.hash(drls);
        long t0 = System.nanoTime();
        KieServices ks = KieServices.Factory.get();
        KieFileSystem kfs = ks.newKieFileSystem();
        ReleaseId id = ks.newReleaseId("dev.leakdx", "leakdx-rules", "0.0.0-" + hash.substring(0, 16));
        kfs.generateAndWritePomXML(id);
        kfs.writeKModuleXML("<kmodule xmlns=\"http://www.drools.org/xsd/kmodule\">"
                + "<kbase name=\"leakdx\" default=\"true\" packages=\"*\"><ksession name=\"leakdx\" default=\"true\"/></kbase></kmodule>");
        for (ResourceFolder.Item item : drls) kfs.write(KnowledgeBase.kfsPath(item), item.text());
        KieBuilder builder;
        try {
            builder = ks.newKieBuilder(kfs).buildAll(ExecutableModelProject.class);
        } catch (RuntimeException e) {
            System.err.println("leakdx: the executable model could not compile the rules; leakdx will compile the DRL at start-up instead: " + e.getMessage());
            return;
        }
        List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
        if (!errors.isEmpty()) {
            System.err.println("leakdx: the executable model rejected the rules; leakdx will compile the DRL at start-up instead:");
            for (Message m : errors) System.err.println("  " + m.getPath() + ":" + m.getLine() + ":" + m.getColumn() + ": " + m.getText());
            return;
        }
        byte[] bytes = ((InternalKieModule) builder.getKieModule()).getBytes();
        Files.createDirectories(kjar.getParent());
        Files.write(kjar, bytes);
        Files.writeString(hashFile, hash + "\n");
        System.out.printf("leakdx: %d rule files compiled to the executable model in %.1f s (%s, %d KiB)%n",
                drls.size(), (System.nanoTime() - t0) / 1e9, kjar, bytes.length / 1024);
    }
}
