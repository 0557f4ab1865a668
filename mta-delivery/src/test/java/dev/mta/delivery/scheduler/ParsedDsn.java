package dev.mta.delivery.scheduler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;

/** A DSN as it arrived at the sender's receiver, parsed by mime4j (RFC 3464 structure). */
record ParsedDsn(Message message, List<Entity> parts, String deliveryStatus) {

    static ParsedDsn parse(byte[] data) throws IOException {
        Message message = new DefaultMessageBuilder().parseMessage(new ByteArrayInputStream(data));
        if (!(message.getBody() instanceof Multipart multipart)) {
            throw new AssertionError("a DSN is multipart, this is " + message.getMimeType());
        }
        List<Entity> parts = multipart.getBodyParts();
        return new ParsedDsn(message, parts, text(parts.get(1)));
    }

    String reportType() {
        return message.getHeader().getField("Content-Type").getBody().replaceAll("(?s).*report-type=\"?([a-z-]+)\"?.*", "$1");
    }

    String subject() {
        return message.getSubject();
    }

    static String text(Entity part) throws IOException {
        if (part.getBody() instanceof SingleBody body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = body.getInputStream()) {
                in.transferTo(out);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
        if (part.getBody() instanceof Message nested) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new org.apache.james.mime4j.message.DefaultMessageWriter().writeMessage(nested, out);
            return out.toString(StandardCharsets.UTF_8);
        }
        throw new AssertionError("unexpected body " + part.getBody());
    }
}
