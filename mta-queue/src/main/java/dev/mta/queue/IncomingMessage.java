package dev.mta.queue;

import java.io.OutputStream;

/**
 * A message being received: the body goes to a spool file as it arrives, so a large message
 * never sits in memory. Closing without commit discards it.
 */
public interface IncomingMessage extends AutoCloseable {

    QueueId id();

    /** Where the body is written, as it will be relayed: CRLF lines, dot-stuffing removed. */
    OutputStream body();

    /** Bytes written to {@link #body()} so far. */
    long size();

    /**
     * Makes the body, the envelope and every recipient durable, then returns. Safe to answer 250
     * after this returns; on an exception nothing is queued and the client must be told 4xx.
     */
    void commit(Envelope envelope) throws StoreException;

    /** Discards the message unless it was committed. */
    @Override
    void close();
}
