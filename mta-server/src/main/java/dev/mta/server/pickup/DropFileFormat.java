package dev.mta.server.pickup;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The layout of one dropped file: a header with the envelope, an empty line, then the message.
 *
 * <pre>
 * MTA-DROP 1
 * sender: alice@example.org          (empty value: the null sender)
 * rcpt: &lt;bob@example.net&gt; notify=SUCCESS,FAILURE orcpt=rfc822;bob@example.net
 * rcpt: &lt;carol@example.net&gt;
 * body: 7bit | 8bitmime
 * smtputf8: yes | no
 * ret: full | hdrs                   (optional)
 * envid: text                        (optional)
 * user: alice
 * uid: 1000
 *
 * message bytes with CRLF line endings
 * </pre>
 *
 * Header lines are UTF-8 and end in LF; every key but ret and envid is required, rcpt at least
 * once. {@code orcpt} is last on its line because its value may hold a space. Anything else is
 * a {@link MalformedDropException}, so a damaged file is set aside instead of queued wrongly.
 */
final class DropFileFormat {
    static final String MAGIC = "MTA-DROP 1";
    /** Longer than any valid header line (an address is at most 320 octets, RFC 5321 4.5.3.1). */
    private static final int MAX_LINE = 2048;
    /** Far more recipients than the listener accepts in one transaction. */
    private static final int MAX_HEADER_LINES = 10_000;

    private DropFileFormat() {
    }

    static void writeHeader(DropEnvelope envelope, OutputStream out) throws IOException {
        StringBuilder header = new StringBuilder(MAGIC).append('\n');
        header.append("sender: ").append(envelope.sender()).append('\n');
        for (EnvelopeRecipient recipient : envelope.recipients()) {
            header.append("rcpt: <").append(recipient.address()).append('>');
            if (!recipient.notifyOn().isEmpty()) {
                header.append(" notify=").append(recipient.notifyOn().stream().map(Enum::name).sorted()
                        .collect(Collectors.joining(",")));
            }
            recipient.originalRecipient().ifPresent(o -> header.append(" orcpt=").append(o));
            header.append('\n');
        }
        header.append("body: ").append(envelope.bodyType() == Envelope.BodyType.EIGHT_BIT_MIME ? "8bitmime" : "7bit").append('\n');
        header.append("smtputf8: ").append(envelope.smtpUtf8() ? "yes" : "no").append('\n');
        envelope.dsnReturn().ifPresent(r -> header.append("ret: ").append(r.name().toLowerCase(Locale.ROOT)).append('\n'));
        envelope.dsnEnvelopeId().ifPresent(id -> header.append("envid: ").append(id).append('\n'));
        header.append("user: ").append(envelope.submitter().name()).append('\n');
        header.append("uid: ").append(envelope.submitter().uid()).append('\n');
        header.append('\n');
        out.write(header.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads the header and leaves {@code in} at the first byte of the message. */
    static DropEnvelope readHeader(InputStream in) throws IOException, MalformedDropException {
        if (!MAGIC.equals(readLine(in))) {
            throw new MalformedDropException("does not start with " + MAGIC);
        }
        String sender = null;
        List<EnvelopeRecipient> recipients = new ArrayList<>();
        Envelope.BodyType bodyType = null;
        Boolean smtpUtf8 = null;
        Optional<Envelope.DsnReturn> dsnReturn = Optional.empty();
        Optional<String> envelopeId = Optional.empty();
        String user = null;
        Long uid = null;
        for (int count = 0; ; count++) {
            if (count > MAX_HEADER_LINES) {
                throw new MalformedDropException("header has more than " + MAX_HEADER_LINES + " lines");
            }
            String line = readLine(in);
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(": ");
            String key = colon < 0 ? line.endsWith(":") ? line.substring(0, line.length() - 1) : line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 2);
            switch (key) {
                case "sender" -> sender = once(sender, value, key);
                case "rcpt" -> recipients.add(recipient(value));
                case "body" -> bodyType = once(bodyType, switch (value) {
                    case "7bit" -> Envelope.BodyType.SEVEN_BIT;
                    case "8bitmime" -> Envelope.BodyType.EIGHT_BIT_MIME;
                    default -> throw new MalformedDropException("unknown body type: " + value);
                }, key);
                case "smtputf8" -> smtpUtf8 = once(smtpUtf8, switch (value) {
                    case "yes" -> true;
                    case "no" -> false;
                    default -> throw new MalformedDropException("smtputf8 is neither yes nor no: " + value);
                }, key);
                case "ret" -> dsnReturn = Optional.of(once(dsnReturn.orElse(null), switch (value) {
                    case "full" -> Envelope.DsnReturn.FULL;
                    case "hdrs" -> Envelope.DsnReturn.HDRS;
                    default -> throw new MalformedDropException("unknown ret: " + value);
                }, key));
                case "envid" -> envelopeId = Optional.of(once(envelopeId.orElse(null), value, key));
                case "user" -> user = once(user, value, key);
                case "uid" -> uid = once(uid, number(value), key);
                default -> throw new MalformedDropException("unknown header key: " + key);
            }
        }
        if (sender == null || bodyType == null || smtpUtf8 == null || user == null || uid == null) {
            throw new MalformedDropException("header lacks one of sender, body, smtputf8, user, uid");
        }
        try {
            return new DropEnvelope(sender, recipients, bodyType, smtpUtf8, dsnReturn, envelopeId,
                    new DropEnvelope.Submitter(user, uid));
        } catch (IllegalArgumentException e) {
            throw new MalformedDropException(e.getMessage());
        }
    }

    private static <T> T once(T previous, T value, String key) throws MalformedDropException {
        if (previous != null) {
            throw new MalformedDropException("header key given twice: " + key);
        }
        return value;
    }

    private static long number(String value) throws MalformedDropException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new MalformedDropException("uid is not a number: " + value);
        }
    }

    /** {@code <address>[ notify=A,B][ orcpt=rest of line]} */
    private static EnvelopeRecipient recipient(String value) throws MalformedDropException {
        if (!value.startsWith("<")) {
            throw new MalformedDropException("rcpt does not start with '<': " + value);
        }
        int close = value.indexOf('>');
        if (close < 0) {
            throw new MalformedDropException("rcpt has no '>': " + value);
        }
        String address = value.substring(1, close);
        String rest = value.substring(close + 1);
        Set<EnvelopeRecipient.Notify> notify = EnumSet.noneOf(EnvelopeRecipient.Notify.class);
        if (rest.startsWith(" notify=")) {
            int end = rest.indexOf(' ', 1);
            String list = rest.substring(" notify=".length(), end < 0 ? rest.length() : end);
            for (String item : list.split(",", -1)) {
                try {
                    notify.add(EnvelopeRecipient.Notify.valueOf(item));
                } catch (IllegalArgumentException e) {
                    throw new MalformedDropException("unknown notify value: " + item);
                }
            }
            rest = end < 0 ? "" : rest.substring(end);
        }
        Optional<String> original = Optional.empty();
        if (rest.startsWith(" orcpt=")) {
            original = Optional.of(rest.substring(" orcpt=".length()));
            rest = "";
        }
        if (!rest.isEmpty()) {
            throw new MalformedDropException("unexpected text after rcpt: " + rest);
        }
        try {
            return new EnvelopeRecipient(address, notify, original);
        } catch (IllegalArgumentException e) {
            throw new MalformedDropException(e.getMessage());
        }
    }

    /** One LF-terminated header line, strictly UTF-8 and without control characters. */
    private static String readLine(InputStream in) throws IOException, MalformedDropException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new MalformedDropException("file ends inside the header");
            }
            if (b == '\n') {
                break;
            }
            if (line.size() >= MAX_LINE) {
                throw new MalformedDropException("header line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedDropException("header line is not UTF-8");
        }
        try {
            DropValues.requireLineSafe(text, "header line");
        } catch (IllegalArgumentException e) {
            throw new MalformedDropException(e.getMessage());
        }
        return text;
    }
}
