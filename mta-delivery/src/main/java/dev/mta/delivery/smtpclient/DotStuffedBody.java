package dev.mta.delivery.smtpclient;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.io.InputStream;

/**
 * The message content as the DATA phase sends it, read from a stream one chunk at a time as the
 * connection drains (the {@code ChunkedWriteHandler} asks for a chunk only while the channel is
 * writable), so the content is never held whole. Each line that starts with a dot gets one more
 * (RFC 5321 4.5.2), across chunk boundaries, and the end is {@code CRLF.CRLF}, with a CRLF added
 * when the content does not end with one. Does no network I/O.
 *
 * <p>A line is taken to start after any LF, not only after CRLF: the queue stores CRLF lines, and
 * should a bare LF slip through, stuffing after it keeps {@code LF.CRLF} from ever reaching a
 * server that ends data there (SMTP smuggling).
 */
final class DotStuffedBody implements ChunkedInput<ByteBuf> {
    static final int CHUNK_SIZE = 16 * 1024;

    private final InputStream content;
    private final Runnable onChunk;
    private final byte[] buffer;
    private boolean atLineStart = true;
    private int last = -1;
    private int beforeLast = -1;
    private boolean ended;
    private long progress;

    /**
     * @param onChunk called before each chunk is read, that is each time the connection has taken
     *                what it was given: the progress signal for the data block timeout
     */
    DotStuffedBody(InputStream content, Runnable onChunk) {
        this(content, onChunk, CHUNK_SIZE);
    }

    DotStuffedBody(InputStream content, Runnable onChunk, int chunkSize) {
        this.content = content;
        this.onChunk = onChunk;
        this.buffer = new byte[chunkSize];
    }

    @Override
    public boolean isEndOfInput() {
        return ended;
    }

    @Override
    public void close() throws Exception {
        content.close();
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) throws Exception {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
        if (ended) {
            return null;
        }
        onChunk.run();
        int count;
        try {
            count = content.read(buffer);
        } catch (IOException e) {
            throw new BodyReadException(e);
        }
        if (count < 0) {
            ended = true;
            return terminator(allocator);
        }
        // At most one added dot per line start, and a line start needs an LF before it.
        ByteBuf chunk = allocator.buffer(count + count / 2 + 1);
        for (int i = 0; i < count; i++) {
            byte octet = buffer[i];
            if (atLineStart && octet == '.') {
                chunk.writeByte('.');
            }
            chunk.writeByte(octet);
            atLineStart = octet == '\n';
            beforeLast = last;
            last = octet;
        }
        progress += count;
        return chunk;
    }

    private ByteBuf terminator(ByteBufAllocator allocator) {
        boolean endsWithCrLf = last == -1 || beforeLast == '\r' && last == '\n';
        byte[] end = endsWithCrLf ? new byte[] {'.', '\r', '\n'} : new byte[] {'\r', '\n', '.', '\r', '\n'};
        return allocator.buffer(end.length).writeBytes(end);
    }

    @Override
    public long length() {
        return -1;
    }

    /** Content octets read so far (before stuffing). */
    @Override
    public long progress() {
        return progress;
    }
}
