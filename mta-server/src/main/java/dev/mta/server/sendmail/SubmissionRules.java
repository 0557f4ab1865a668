package dev.mta.server.sendmail;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.server.config.SendmailConfig;
import dev.mta.server.smtp.TraceHeaders;
import dev.mta.server.smtp.syntax.PathParser;
import dev.mta.server.smtp.syntax.SyntaxException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.james.mime4j.codec.EncoderUtil;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;

/**
 * Completes a message handed to sendmail, as Postfix's sendmail and cleanup do:
 * <ul>
 * <li>recipients from the arguments and, with -t, from To, Cc and Bcc; command-line recipients
 *     are added to those of the header (Postfix's behaviour, not sendmail 8's);</li>
 * <li>Bcc fields removed, so blind copies stay blind;</li>
 * <li>From generated from the invoking user and the origin domain where missing, Date and
 *     Message-ID added where missing (RFC 5322 3.6: both are required);</li>
 * <li>unqualified addresses ({@code root}) qualified with the origin domain, then envelope
 *     recipients rewritten by the configured map ({@code root -> ops@example.org}).</li>
 * </ul>
 */
public final class SubmissionRules {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SendmailConfig config;
    private final String hostname;
    private final Clock clock;

    public SubmissionRules(SendmailConfig config, String hostname, Clock clock) {
        this.config = config;
        this.hostname = hostname;
        this.clock = clock;
    }

    /**
     * The envelope recipients of the arguments alone, qualified and rewritten: what {@code -bv}
     * verifies.
     */
    public List<String> argumentRecipients(SendmailRequest request) throws SubmissionRefused {
        Map<String, String> recipients = new LinkedHashMap<>();
        for (String argument : request.recipients()) {
            addAll(recipients, argument, "argument");
        }
        return List.copyOf(recipients.values());
    }

    /** @param lines the message as {@link MessageInput} read it */
    public Submission apply(SendmailRequest request, List<String> lines) throws SubmissionRefused {
        HeaderSection message = HeaderSection.split(lines);
        Map<String, String> recipients = new LinkedHashMap<>();
        if (request.fromHeader()) {
            for (String field : List.of("To", "Cc", "Bcc")) {
                for (HeaderField header : message.all(field)) {
                    addAll(recipients, utf8(header.value()), field + " field");
                }
            }
        }
        for (String argument : request.recipients()) {
            addAll(recipients, argument, "argument");
        }
        if (recipients.isEmpty()) {
            throw new SubmissionRefused(SubmissionRefused.USAGE, request.fromHeader()
                    ? "no recipient addresses found in the message header"
                    : "recipient addresses must be given as arguments or with -t");
        }
        String sender = sender(request);
        List<EnvelopeRecipient> envelope = new ArrayList<>();
        for (String address : recipients.values()) {
            envelope.add(new EnvelopeRecipient(address, request.notifyOn(), Optional.empty()));
        }
        byte[] content = content(message, request, sender);
        boolean eightBitBody = message.body().stream().anyMatch(SubmissionRules::hasEightBit);
        boolean internationalHeader = message.fields().stream().flatMap(f -> f.lines().stream()).anyMatch(SubmissionRules::hasEightBit);
        boolean internationalAddress = !isAscii(sender) || recipients.values().stream().anyMatch(a -> !isAscii(a));
        return new Submission(sender, envelope, eightBitBody ? Envelope.BodyType.EIGHT_BIT_MIME : Envelope.BodyType.SEVEN_BIT,
                internationalHeader || internationalAddress, request.dsnReturn(), request.dsnEnvelopeId(), content);
    }

    private String sender(SendmailRequest request) throws SubmissionRefused {
        if (request.sender().isEmpty()) {
            return valid(qualified(request.user()), "sender");
        }
        String given = request.sender().get().strip();
        if (given.isEmpty() || given.equals("<>")) {
            return ""; // the null sender: no bounces
        }
        List<String> addresses = parse(given, "-f");
        if (addresses.size() != 1) {
            throw new SubmissionRefused(SubmissionRefused.USAGE, "-f needs exactly one address, not '" + given + "'");
        }
        return valid(qualified(addresses.getFirst()), "sender");
    }

    private void addAll(Map<String, String> recipients, String list, String where) throws SubmissionRefused {
        for (String address : parse(list, where)) {
            String qualified = qualified(address);
            String target = config.rewrite().getOrDefault(qualified.toLowerCase(Locale.ROOT), qualified);
            recipients.putIfAbsent(target.toLowerCase(Locale.ROOT), valid(target, "recipient"));
        }
    }

    /** RFC 5322 3.4 address lists, groups and display names included; the mailboxes in them. */
    private static List<String> parse(String list, String where) throws SubmissionRefused {
        AddressList parsed;
        try {
            parsed = LenientAddressParser.DEFAULT.parseAddressList(list);
        } catch (RuntimeException e) {
            throw new SubmissionRefused(SubmissionRefused.NO_USER, "cannot read the addresses of the " + where + ": " + list);
        }
        List<String> addresses = new ArrayList<>();
        for (Mailbox mailbox : parsed.flatten()) {
            String local = mailbox.getLocalPart();
            if (local == null || local.isBlank()) {
                throw new SubmissionRefused(SubmissionRefused.NO_USER, "not an address in the " + where + ": " + list);
            }
            addresses.add(mailbox.getDomain() == null || mailbox.getDomain().isEmpty() ? local : local + "@" + mailbox.getDomain());
        }
        if (addresses.isEmpty() && !list.isBlank() && !list.strip().endsWith(";")) {
            throw new SubmissionRefused(SubmissionRefused.NO_USER, "not an address in the " + where + ": " + list);
        }
        return addresses;
    }

    private String qualified(String address) {
        return address.contains("@") ? address : address + "@" + config.originDomain();
    }

    /** The address as SMTP will carry it must pass the relay's own path grammar (RFC 5321 4.1.2). */
    private static String valid(String address, String role) throws SubmissionRefused {
        try {
            PathParser.parse("<" + address + ">", false, !isAscii(address));
            return address;
        } catch (SyntaxException e) {
            throw new SubmissionRefused(SubmissionRefused.NO_USER, "bad " + role + " address <" + address + ">: " + e.getMessage());
        }
    }

    private byte[] content(HeaderSection message, SendmailRequest request, String sender) {
        ZonedDateTime now = ZonedDateTime.now(clock);
        StringBuilder header = new StringBuilder();
        for (HeaderField field : message.fields()) {
            if (field.is("Bcc")) {
                continue; // blind copies stay blind
            }
            field.lines().forEach(line -> header.append(line).append("\r\n"));
        }
        if (!message.has("From")) {
            String mailbox = sender.isEmpty() ? qualified(request.user()) : sender;
            String from = request.fullName().filter(n -> !n.isBlank())
                    .map(name -> EncoderUtil.encodeAddressDisplayName(name.strip()) + " <" + mailbox + ">")
                    .orElse(mailbox);
            header.append("From: ").append(latin1(from)).append("\r\n");
        }
        if (!message.has("Date")) {
            header.append(TraceHeaders.date(now));
        }
        if (!message.has("Message-ID")) {
            header.append(TraceHeaders.messageId(HexFormat.of().toHexDigits(RANDOM.nextLong()), hostname, now));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        for (String line : message.body()) {
            out.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** Lines hold bytes as ISO-8859-1 characters; addresses in them are UTF-8 (RFC 6532). */
    private static String utf8(String bytes) {
        return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static String latin1(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static boolean hasEightBit(String line) {
        return line.chars().anyMatch(c -> c > 0x7f);
    }

    private static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }
}
