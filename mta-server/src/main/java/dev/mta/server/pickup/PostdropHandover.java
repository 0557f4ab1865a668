package dev.mta.server.pickup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The mail drop for users who may not write it themselves: the drop file is formatted here and
 * handed on standard input to the set-group-id helper {@code mta-postdrop} (Postfix's postdrop),
 * which alone may create files in the drop directory. The file then belongs to the user who ran
 * sendmail, which is what the pickup records.
 */
public final class PostdropHandover implements MailDrop {
    private final Path helper;

    public PostdropHandover(Path helper) {
        this.helper = Objects.requireNonNull(helper, "helper");
    }

    @Override
    public DroppedMessage drop(DropEnvelope envelope, InputStream message) throws IOException {
        Process process = new ProcessBuilder(helper.toString()).start();
        long size;
        try (OutputStream in = new BufferedOutputStream(process.getOutputStream(), 64 * 1024)) {
            DropFileFormat.writeHeader(envelope, in);
            CrlfOutputStream body = new CrlfOutputStream(in);
            message.transferTo(body);
            body.finish();
            size = body.written();
        } catch (IOException e) {
            process.destroy();
            throw new IOException(helper + " did not take the message: " + e.getMessage(), e);
        }
        // The helper writes a line or two at most, so reading one stream after the other cannot block.
        String name = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        String complaint = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int exit;
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new IOException("interrupted while " + helper + " was writing the message", e);
        }
        if (exit != 0) {
            throw new IOException(helper + " failed (exit " + exit + ")" + (complaint.isEmpty() ? "" : ": " + complaint));
        }
        // Exit 0 means the message is in the drop, whatever the helper printed: never report a
        // failure for mail that will be delivered.
        return new DroppedMessage(name.isEmpty() ? "(unnamed)" : name, size);
    }
}
