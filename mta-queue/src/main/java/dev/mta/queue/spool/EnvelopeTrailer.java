package dev.mta.queue.spool;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The envelope, written into the spool file after the body and synced with it: the file alone
 * says what to do with its message, as a Postfix queue file does. Should the queue database come
 * back from a crash without a message it had committed (H2 may reopen at an older version of its
 * file), start-up recovery puts the message back from its file instead of deleting the file.
 *
 * <p>Layout after the body: the envelope record, its length (4 bytes) and {@link #MAGIC} (8
 * bytes). A file without the magic is a body alone (written before this trailer existed).
 */
public final class EnvelopeTrailer {
    static final byte[] MAGIC = "MTAENV01".getBytes(StandardCharsets.US_ASCII);
    private static final int FOOTER = 4 + 8;
    private static final int VERSION = 1;
    /** Far above any real envelope (1,000 recipients of 256 octets); a larger length is damage. */
    private static final int MAX_RECORD = 4 * 1024 * 1024;

    /**
     * What a spool file holds.
     *
     * @param bodyLength the body's length, the file's size when there is no trailer
     * @param envelope   the envelope, when the file has a trailer
     */
    public record Contents(long bodyLength, Optional<Envelope> envelope) {
    }

    private EnvelopeTrailer() {
    }

    /** The trailer to append after the body. */
    public static byte[] of(Envelope envelope) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            out.writeUTF(envelope.sender());
            out.writeUTF(envelope.bodyType().name());
            out.writeBoolean(envelope.smtpUtf8());
            writeOptional(out, envelope.dsnReturn().map(Enum::name));
            writeOptional(out, envelope.dsnEnvelopeId());
            out.writeUTF(envelope.client().address());
            out.writeUTF(envelope.client().heloName());
            writeOptional(out, envelope.client().authenticatedUser());
            out.writeLong(envelope.receivedAt().getEpochSecond());
            out.writeInt(envelope.receivedAt().getNano());
            out.writeUTF(envelope.origin().name());
            out.writeBoolean(envelope.requireTls());
            out.writeInt(envelope.recipients().size());
            for (EnvelopeRecipient recipient : envelope.recipients()) {
                out.writeUTF(recipient.address());
                out.writeInt(recipient.notifyOn().size());
                for (EnvelopeRecipient.Notify notify : recipient.notifyOn()) {
                    out.writeUTF(notify.name());
                }
                writeOptional(out, recipient.originalRecipient());
            }
            out.writeInt(bytes.size());
            out.write(MAGIC);
        } catch (IOException e) {
            // In memory only a field longer than writeUTF's 65,535 octets fails; SMTP limits forbid those.
            throw new UncheckedIOException("cannot write the envelope: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    /** Reads the body length and envelope of a spool file. */
    public static Contents read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < FOOTER) {
                return new Contents(size, Optional.empty());
            }
            ByteBuffer footer = ByteBuffer.allocate(FOOTER);
            readFully(channel, footer, size - FOOTER);
            footer.flip();
            int length = footer.getInt();
            byte[] magic = new byte[MAGIC.length];
            footer.get(magic);
            if (!Arrays.equals(magic, MAGIC) || length < 0 || length > MAX_RECORD || length > size - FOOTER) {
                return new Contents(size, Optional.empty());
            }
            long bodyLength = size - FOOTER - length;
            ByteBuffer record = ByteBuffer.allocate(length);
            readFully(channel, record, bodyLength);
            return new Contents(bodyLength, Optional.of(decode(record.array(), file)));
        }
    }

    private static Envelope decode(byte[] record, Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("the envelope in " + file + " has version " + version + ", not " + VERSION);
            }
            String sender = in.readUTF();
            Envelope.BodyType bodyType = Envelope.BodyType.valueOf(in.readUTF());
            boolean smtpUtf8 = in.readBoolean();
            Optional<Envelope.DsnReturn> dsnReturn = readOptional(in).map(Envelope.DsnReturn::valueOf);
            Optional<String> envelopeId = readOptional(in);
            Envelope.ClientInfo client = new Envelope.ClientInfo(in.readUTF(), in.readUTF(), readOptional(in));
            Instant receivedAt = Instant.ofEpochSecond(in.readLong(), in.readInt());
            Envelope.Origin origin = Envelope.Origin.valueOf(in.readUTF());
            boolean requireTls = in.readBoolean();
            int count = in.readInt();
            List<EnvelopeRecipient> recipients = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String address = in.readUTF();
                int notifications = in.readInt();
                Set<EnvelopeRecipient.Notify> notify = EnumSet.noneOf(EnvelopeRecipient.Notify.class);
                for (int n = 0; n < notifications; n++) {
                    notify.add(EnvelopeRecipient.Notify.valueOf(in.readUTF()));
                }
                recipients.add(new EnvelopeRecipient(address, notify, readOptional(in)));
            }
            return new Envelope(sender, recipients, bodyType, smtpUtf8, dsnReturn, envelopeId, client, receivedAt,
                    origin, requireTls);
        } catch (IllegalArgumentException e) {
            throw new IOException("the envelope in " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    private static void writeOptional(DataOutputStream out, Optional<String> value) throws IOException {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            out.writeUTF(value.get());
        }
    }

    private static Optional<String> readOptional(DataInputStream in) throws IOException {
        return in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IOException("unexpected end of file");
            }
            at += read;
        }
    }
}
