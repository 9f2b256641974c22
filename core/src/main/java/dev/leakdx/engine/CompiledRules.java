package dev.leakdx.engine;

import dev.leakdx.extract.ResourceFolder;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieModule;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The packed rules, compiled ahead of time. Building a KieBase from DRL costs 2-3 s of a cold
 * start on two cores (DROOLS-NOTES §2), most of it compiling and JIT-warming the DRL compiler;
 * the build therefore also compiles {@code rules/} to Drools' executable model
 * ({@link RuleModelCompiler}, run by Maven after compiling the classes) and packs that kjar.
 * Loading it skips the DRL compiler altogether.
 *
 * <p>The kjar is used only when the SHA-256 recorded beside it equals the hash of the DRL packed
 * with it, so a rule edited without rebuilding is never silently ignored: the DRL route is taken
 * instead. KieBase serialisation, the obvious alternative, was removed in Drools 8 (DROOLS-6623).
 */
public final class CompiledRules {
    static final String KJAR = "leakdx/rules-compiled.jar";
    static final String HASH = "leakdx/rules-compiled.sha256";

    private CompiledRules() {}

    /** One hash over every rule file's name and text, in load order. */
    public static String hash(List<ResourceFolder.Item> drls) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (ResourceFolder.Item i : drls) {
                md.update(i.name().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(i.text().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why the packed model was not used, or null when it was; for {@code --version}-style diagnostics and tests. */
    public record Loaded(KieBase kieBase, String reason) {}

    /** The packed executable model for these DRL files, or a reason why there is none usable. */
    static Loaded loadPacked(List<ResourceFolder.Item> drls) {
        if ("classic".equals(System.getenv("LEAKDX_RULES_ENGINE")) || "classic".equals(System.getProperty("leakdx.rules.engine")))
            return new Loaded(null, "the DRL route was asked for (LEAKDX_RULES_ENGINE=classic)");
        ClassLoader cl = CompiledRules.class.getClassLoader();
        byte[] kjar;
        String recorded;
        try (InputStream h = cl.getResourceAsStream(HASH); InputStream k = cl.getResourceAsStream(KJAR)) {
            if (h == null || k == null) return new Loaded(null, "the build packed no compiled rules");
            recorded = new String(h.readAllBytes(), StandardCharsets.UTF_8).strip();
            kjar = k.readAllBytes();
        } catch (IOException e) {
            return new Loaded(null, "the compiled rules could not be read: " + e.getMessage());
        }
        if (!recorded.equals(hash(drls)))
            return new Loaded(null, "the packed rules changed after they were compiled");
        try {
            KieServices ks = KieServices.Factory.get();
            KieModule module = ks.getRepository().addKieModule(ks.getResources().newByteArrayResource(kjar));
            return new Loaded(ks.newKieContainer(module.getReleaseId()).getKieBase(), null);
        } catch (RuntimeException | LinkageError e) {
            // e.g. a jar without drools-model-compiler on the class path: the DRL route still works
            return new Loaded(null, "the compiled rules could not be loaded: " + e);
        }
    }
}
