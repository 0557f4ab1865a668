package dev.mta.delivery.smtpclient;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/** Content that takes its time: 1 KiB per read, with a pause before each. */
final class SlowContent extends InputStream {
    private final InputStream content;
    private final Duration pause;

    SlowContent(InputStream content, Duration pause) {
        this.content = content;
        this.pause = pause;
    }

    @Override
    public int read() throws IOException {
        return content.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return content.read(buffer, offset, Math.min(length, 1024));
    }
}
