package dev.leakdx.capture;

import dev.leakdx.extract.Samples;
import dev.leakdx.facts.HostFact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** /dev/kmsg records (Documentation/ABI/testing/dev-kmsg) as the dmesg lines the kernel-log extractor reads. */
class KernelLogTest {
    private static final String RECORDS = """
            5,0,0,-;Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2
            6,812,8573301415,-;Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB
            3,900,9001000002,-,caller=T42;usb 1-1: a \\x5cx-escaped\\x09text
             SUBSYSTEM=usb
             DEVICE=c189:1
            """;

    @Test
    void recordsBecomeDmesgLinesAndDictionaryLinesAreDropped() {
        assertEquals("""
                [    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2
                [ 8573.301415] Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB
                [ 9001.000002] usb 1-1: a \\x-escaped text
                """, KernelLog.dmesgText(RECORDS));
        assertNull(KernelLog.dmesgLine("not a record"));
    }

    @Test
    void aKmsgFileIsReadToItsEndAndTheExtractorFindsTheBanner(@TempDir Path dir) throws IOException {
        Path kmsg = Files.writeString(dir.resolve("kmsg"), RECORDS);
        String[] why = new String[1];
        String text = KernelLog.kmsg(kmsg, why);
        assertEquals(3, text.lines().count(), why[0]);
        Samples.Result r = Samples.extract(Files.writeString(dir.resolve("dmesg.txt"), text));
        assertEquals("6.1.0-56-amd64", r.one(HostFact.class, h -> h.key().equals("kernel_release")).value());
    }

    @Test
    void anUnreadableKmsgSaysWhy(@TempDir Path dir) {
        String[] why = new String[1];
        assertNull(KernelLog.kmsg(dir.resolve("absent"), why));
        assertEquals(true, why[0].contains("absent"), why[0]);
    }
}
