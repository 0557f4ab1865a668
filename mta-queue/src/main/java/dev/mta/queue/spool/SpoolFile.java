package dev.mta.queue.spool;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One body being received into {@code incoming/}. The body goes through a fixed 64 KiB buffer
 * straight to the file, so a message of any size costs the same memory. Until
 * {@link #forceToDisk(byte[])} the file is only a candidate: start-up recovery deletes whatever is
 * left in {@code incoming/}, because no client was ever told 250 for it.
 *
 * <p>A failed write (disk full, file too large) does not throw from the body stream: the SMTP
 * listener has to read the rest of DATA anyway before it may reply, so the stream notes the first
 * failure, drops the remaining bytes, and {@link #forceToDisk(byte[])} throws it at the end of data,
 * where the listener turns it into a 4xx reply (Postfix's cleanup does the same).
 */
public final class SpoolFile {
    static final int BUFFER_SIZE = 64 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final Body body = new Body();
    private boolean finished;

    SpoolFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    public Path path() {
        return path;
    }

    /** The body stream. Closing it only flushes: the file stays open until commit or discard. */
    public OutputStream body() {
        return body;
    }

    public long size() {
        return body.size;
    }

    /**
     * Writes out the buffer and then {@code trailer} (the {@link EnvelopeTrailer}), syncs the
     * file's data and metadata to disk and closes it. {@link #size()} stays the body's size.
     */
    public void forceToDisk(byte[] trailer) throws IOException {
        if (finished) {
            throw new IllegalStateException("spool file " + path + " was already finished");
        }
        finished = true;
        try (channel) {
            body.drain();
            if (body.failure != null) {
                throw body.failure;
            }
            ByteBuffer rest = ByteBuffer.wrap(trailer);
            while (rest.hasRemaining()) {
                channel.write(rest);
            }
            channel.force(true);
        }
    }

    /** Closes and deletes the file; the message was not accepted. */
    public void discard() throws IOException {
        finished = true;
        try (channel) {
            Files.deleteIfExists(path);
        }
    }

    private final class Body extends OutputStream {
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
        private long size;
        private IOException failure;

        @Override
        public void write(int b) throws IOException {
            requireOpen();
            if (!buffer.hasRemaining()) {
                drain();
            }
            buffer.put((byte) b);
            size++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            requireOpen();
            java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
            int written = 0;
            while (written < length) {
                if (!buffer.hasRemaining()) {
                    drain();
                }
                int chunk = Math.min(buffer.remaining(), length - written);
                buffer.put(bytes, offset + written, chunk);
                written += chunk;
            }
            size += length;
        }

        @Override
        public void flush() {
            if (!finished) {
                drain();
            }
        }

        @Override
        public void close() {
            flush();
        }

        private void requireOpen() throws IOException {
            if (finished) {
                throw new IOException("the body of " + path.getFileName() + " was already committed or discarded");
            }
        }

        /** Writes the buffer out; after a failed write only empties it. */
        void drain() {
            buffer.flip();
            try {
                while (failure == null && buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                failure = e;
            }
            buffer.clear();
        }
    }
}
