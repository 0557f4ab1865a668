package dev.mta.delivery.dsn;

import java.io.OutputStream;
import java.util.List;

/**
 * Run in a JVM of its own with a small heap by {@link LargeOriginalTest}: composes a DSN returning a
 * message several times larger than the heap, and prints how many octets it wrote.
 */
public final class BoundedHeapComposition {

    private BoundedHeapComposition() {
    }

    public static void main(String[] args) throws Exception {
        long size = Long.parseLong(args[0]);
        long[] written = new long[1];
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                written[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written[0] += len;
            }
        };
        ComposedDsn composed = Reports.composer().write(
                Reports.report(List.of(Reports.failed("bob@example.com"))), GeneratedOriginal.of(size), counter);
        System.out.println(composed.returned() + " " + written[0]);
    }
}
