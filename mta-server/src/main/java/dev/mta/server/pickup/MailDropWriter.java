package dev.mta.server.pickup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Objects;

/**
 * What the sendmail command uses to hand a message over without the server running: write to
 * {@code tmp/}, sync the file, rename it into {@code new/}, sync {@code new/}. Only when
 * {@link #drop} returns is the message the relay's responsibility; before that nothing is in
 * {@code new/}, so the pickup can never see a partial message.
 */
public final class MailDropWriter implements MailDrop {
    private final DropDirectory drop;
    private final Clock clock;

    public MailDropWriter(DropDirectory drop, Clock clock) {
        this.drop = Objects.requireNonNull(drop, "drop");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Stores the message durably in the drop; bare LF line endings become CRLF.
     *
     * @throws IOException nothing was dropped (a full disk, no permission): the caller still
     *                     owns the message, and sendmail exits with EX_TEMPFAIL (75); the
     *                     partly written temporary file has been removed
     */
    @Override
    public DroppedMessage drop(DropEnvelope envelope, InputStream message) throws IOException {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(message, "message");
        String name = DropDirectory.newFileName(clock.instant());
        Path temporary = drop.tmp().resolve(name);
        try {
            long size;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
                DropFileFormat.writeHeader(envelope, file);
                CrlfOutputStream body = new CrlfOutputStream(file);
                message.transferTo(body);
                body.finish();
                size = body.written();
                // the data and the file's size reach the disk before the rename can
                channel.force(true);
            }
            Files.move(temporary, drop.ready().resolve(name), StandardCopyOption.ATOMIC_MOVE);
            DropDirectory.syncDirectory(drop.ready());
            return new DroppedMessage(name, size);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
