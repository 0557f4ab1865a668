package dev.mta.delivery.dsn;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/** A DSN as Apache mime4j reads it, strictly (lines over 998 octets and malformed headers fail). */
final class ParsedDsn {

    private final Message message;

    private ParsedDsn(Message message) {
        this.message = message;
    }

    static ParsedDsn parse(byte[] bytes) {
        return new ParsedDsn(parseMessage(bytes));
    }

    static Message parseMessage(byte[] bytes) {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.STRICT);
        try {
            return builder.parseMessage(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Message message() {
        return message;
    }

    /** The unfolded body of the one top-level field of this name, or null. */
    String header(String name) {
        List<Field> fields = message.getHeader().getFields(name);
        if (fields.size() > 1) {
            throw new AssertionError("more than one " + name + " field");
        }
        return fields.isEmpty() ? null : fields.get(0).getBody();
    }

    List<Field> headerFields() {
        return message.getHeader().getFields();
    }

    String mimeType() {
        return message.getMimeType();
    }

    String reportType() {
        return ((ContentTypeField) message.getHeader().getField("Content-Type")).getParameter("report-type");
    }

    List<Entity> parts() {
        return ((Multipart) message.getBody()).getBodyParts();
    }

    Entity part(int index) {
        return parts().get(index);
    }

    /** The part's content as written (no transfer decoding is involved: every part is 7bit or 8bit). */
    byte[] partBytes(int index) {
        Entity part = part(index);
        try (InputStream in = ((SingleBody) part.getBody()).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String partText(int index) {
        return new String(partBytes(index), StandardCharsets.UTF_8);
    }

    String notice() {
        return partText(0);
    }

    DeliveryStatusGrammar.Report deliveryStatus() {
        return DeliveryStatusGrammar.parse(partText(1));
    }

    /** The returned message of a message/rfc822 part, as mime4j parsed it. */
    Message returnedMessage() {
        return (Message) part(2).getBody();
    }
}
