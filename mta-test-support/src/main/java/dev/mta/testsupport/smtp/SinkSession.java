package dev.mta.testsupport.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** The SMTP dialogue of one connection to the {@link SmtpSinkServer}. */
final class SinkSession implements Runnable {
    // RFC 5321 4.5.3.1.4 allows 512 octets per command line; be lenient, but bounded.
    private static final int MAX_COMMAND_LINE = 4096;
    private static final int MAX_DATA_LINE = 1024 * 1024;
    private static final Pattern MAIL = Pattern.compile("(?i)MAIL FROM:\\s*<([^>]*)>(?: +(.*))?");
    private static final Pattern RCPT = Pattern.compile("(?i)RCPT TO:\\s*<([^>]*)>(?: +(.*))?");
    private static final Pattern SIZE = Pattern.compile("(?i)SIZE=(\\d{1,18})");
    private static final byte[] END_OF_DATA = ".\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_A_SERVER_HELLO =
            "this is clear text where a TLS ServerHello belongs\r\n".getBytes(StandardCharsets.US_ASCII);

    private final SmtpSinkServer server;
    private final SmtpSinkServer.Settings settings;
    private final SinkScript script;
    private final SinkConnection connection;
    private Socket socket;
    private LineReader in;
    private OutputStream out;
    private Optional<TlsDetails> tls = Optional.empty();
    private boolean greetingRefused;
    private String heloName;
    private boolean extended;
    private String authenticatedUser;
    private String mailFrom;
    private List<String> mailParameters = List.of();
    private final List<String> recipients = new ArrayList<>();
    private final Map<String, List<String>> recipientParameters = new LinkedHashMap<>();

    /** Thrown to end the session without a further reply (after 421, a drop, a spoiled handshake). */
    private static final class EndSession extends IOException {
        EndSession(String reason) {
            super(reason);
        }
    }

    SinkSession(SmtpSinkServer server, Socket socket, SinkConnection connection) {
        this.server = server;
        this.settings = server.settings();
        this.script = server.script();
        this.socket = socket;
        this.connection = connection;
    }

    @Override
    public void run() {
        try {
            attach(socket);
            String greeting = choose(ReplyPoint.GREETING, "220 " + settings.hostName() + " ESMTP sink");
            // RFC 5321 3.1: after a refusing greeting the server waits for QUIT, answering 503.
            greetingRefused = !greeting.startsWith("2");
            sendAt(ReplyPoint.GREETING, greeting);
            String line;
            while ((line = readCommand()) != null) {
                if (!handle(line)) {
                    break;
                }
            }
        } catch (IOException e) {
            // The client went away, the TLS handshake failed, or the script ended the session.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // Already closing; nothing more to release.
            }
            server.closed(socket, connection);
        }
    }

    /** Answers one command; false when the session is over. */
    private boolean handle(String line) throws IOException, InterruptedException {
        String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        if (greetingRefused && !verb.equals("QUIT")) {
            reply("503 5.5.1 No service");
            return true;
        }
        switch (verb) {
            case "EHLO" -> ehlo(line);
            case "HELO" -> helo(line);
            case "STARTTLS" -> startTls();
            case "AUTH" -> auth(line);
            case "MAIL" -> mail(line);
            case "RCPT" -> rcpt(line);
            case "DATA" -> data();
            case "RSET" -> {
                String reply = choose(ReplyPoint.RSET, "250 2.0.0 OK");
                resetTransaction();
                sendAt(ReplyPoint.RSET, reply);
            }
            case "NOOP" -> reply("250 2.0.0 OK");
            case "QUIT" -> {
                connection.quit();
                server.changed();
                sendAt(ReplyPoint.QUIT, choose(ReplyPoint.QUIT, "221 2.0.0 Bye"));
                return false;
            }
            default -> reply("500 5.5.2 Command not recognised");
        }
        return true;
    }

    private void ehlo(String line) throws IOException, InterruptedException {
        if (settings.heloOnly()) {
            reply("500 5.5.1 Command not recognised");
            return;
        }
        String[] words = line.split(" +");
        if (words.length < 2) {
            reply("501 5.5.4 EHLO needs a domain");
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(settings.hostName() + " greets " + words[1]);
        for (SinkExtension extension : SinkExtension.values()) {
            if (extension == SinkExtension.REQUIRETLS && tls.isEmpty()) {
                continue;
            }
            if (settings.offers(extension)) {
                lines.add(extension == SinkExtension.SIZE
                        ? "SIZE " + settings.maxMessageSize() : extension.keyword());
            }
        }
        if (settings.requiresAuth()) {
            lines.add("AUTH " + String.join(" ", settings.authMechanisms()));
        }
        if (settings.offersStartTls() && tls.isEmpty()) {
            lines.add("STARTTLS");
        }
        String reply = choose(ReplyPoint.EHLO, multiLine(250, lines));
        if (reply.startsWith("2")) {
            heloName = words[1];
            extended = true;
            resetTransaction();
        }
        sendAt(ReplyPoint.EHLO, reply);
    }

    private void helo(String line) throws IOException, InterruptedException {
        String[] words = line.split(" +");
        if (words.length < 2) {
            reply("501 5.5.4 HELO needs a domain");
            return;
        }
        String reply = choose(ReplyPoint.HELO, "250 " + settings.hostName());
        if (reply.startsWith("2")) {
            heloName = words[1];
            extended = false;
            resetTransaction();
        }
        sendAt(ReplyPoint.HELO, reply);
    }

    private void mail(String line) throws IOException, InterruptedException {
        if (heloName == null) {
            reply("503 5.5.1 Send EHLO or HELO first");
            return;
        }
        if (settings.requiresAuth() && authenticatedUser == null) {
            reply("530 5.7.0 Authentication required");
            return;
        }
        if (mailFrom != null) {
            reply("503 5.5.1 Nested MAIL command");
            return;
        }
        Matcher matcher = MAIL.matcher(line);
        if (!matcher.matches()) {
            reply("501 5.5.4 Syntax: MAIL FROM:<address>");
            return;
        }
        List<String> parameters = parameters(matcher.group(2));
        for (String parameter : parameters) {
            if (!mailParameterOffered(parameter)) {
                reply("555 5.5.4 Unsupported parameter " + parameter);
                return;
            }
            Matcher size = SIZE.matcher(parameter);
            if (size.matches() && Long.parseLong(size.group(1)) > settings.maxMessageSize()) {
                reply("552 5.3.4 Message size exceeds fixed limit");
                return;
            }
        }
        if (needsSmtpUtf8(matcher.group(1)) && !parameters.contains("SMTPUTF8")) {
            reply("553 5.6.7 Non-ASCII address without SMTPUTF8");
            return;
        }
        String reply = choose(ReplyPoint.MAIL, "250 2.1.0 OK");
        if (reply.startsWith("2")) {
            mailFrom = matcher.group(1);
            mailParameters = parameters;
            connection.transactionStarted();
        }
        sendAt(ReplyPoint.MAIL, reply);
    }

    private void rcpt(String line) throws IOException, InterruptedException {
        if (mailFrom == null) {
            reply("503 5.5.1 Send MAIL first");
            return;
        }
        Matcher matcher = RCPT.matcher(line);
        if (!matcher.matches()) {
            reply("501 5.5.4 Syntax: RCPT TO:<address>");
            return;
        }
        List<String> parameters = parameters(matcher.group(2));
        for (String parameter : parameters) {
            String keyword = keyword(parameter);
            if (!extended || !(keyword.equals("NOTIFY") || keyword.equals("ORCPT")) || !settings.offers(SinkExtension.DSN)) {
                reply("555 5.5.4 Unsupported parameter " + parameter);
                return;
            }
        }
        String address = matcher.group(1);
        if (needsSmtpUtf8(address) && !mailParameters.contains("SMTPUTF8")) {
            reply("553 5.6.7 Non-ASCII address without SMTPUTF8");
            return;
        }
        pause(ReplyPoint.RCPT);
        String reply = script.replyToRecipient(address, connection.number()).orElse("250 2.1.5 OK\r\n");
        if (reply.startsWith("2")) {
            recipients.add(address);
            recipientParameters.put(address, parameters);
        }
        sendAt(ReplyPoint.RCPT, reply);
    }

    private void data() throws IOException, InterruptedException {
        if (mailFrom == null) {
            reply("503 5.5.1 Send MAIL first");
            return;
        }
        if (recipients.isEmpty() && script.replyAt(ReplyPoint.DATA, connection.number()).isEmpty()) {
            // RFC 5321 3.3 and RFC 2920 3.1: 554 when there is no valid recipient. A scripted
            // reply goes out anyway, to play a server that says 354 regardless.
            reply("554 5.5.1 No valid recipients");
            return;
        }
        String go = choose(ReplyPoint.DATA, "354 End data with <CR><LF>.<CR><LF>");
        sendAt(ReplyPoint.DATA, go);
        if (!go.startsWith("3")) {
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        MessageDigest digest = ReceivedMessage.newSha256();
        long size = 0;
        long octetsOnTheWire = 0;
        boolean tooBig = false;
        while (true) {
            long stallAfter = script.stallDuringDataAfter();
            if (stallAfter >= 0 && octetsOnTheWire >= stallAfter) {
                server.awaitClose();
                throw new EndSession("stalled during DATA");
            }
            byte[] line = in.readLine(MAX_DATA_LINE);
            if (line == null) {
                throw new IOException("connection closed during DATA");
            }
            octetsOnTheWire += line.length;
            long dropAfter = script.dropDuringDataAfter();
            if (dropAfter >= 0 && octetsOnTheWire >= dropAfter) {
                throw new EndSession("dropped during DATA");
            }
            long replyAfter = script.replyDuringDataAfter();
            if (replyAfter >= 0 && octetsOnTheWire >= replyAfter) {
                send(script.replyDuringData());
                server.awaitClose();
                throw new EndSession("replied during DATA");
            }
            if (Arrays.equals(line, END_OF_DATA)) {
                break;
            }
            // RFC 5321 4.5.2: remove the dot a sender added in front of a line starting with one.
            int skip = line.length > 1 && line[0] == '.' ? 1 : 0;
            int length = line.length - skip;
            size += length;
            digest.update(line, skip, length);
            if (size > settings.maxMessageSize()) {
                tooBig = true;
            } else if (settings.keepData()) {
                body.write(line, skip, length);
            }
        }
        if (tooBig) {
            reply("552 5.3.4 Message size exceeds fixed limit");
        } else if (recipients.isEmpty()) {
            reply("554 5.5.1 No valid recipients");
        } else {
            // A delay at END_OF_DATA holds the reply to a message the server already has: the
            // window in which a crashing client cannot know it was delivered.
            String reply = script.replyAt(ReplyPoint.END_OF_DATA, connection.number()).orElse("250 2.0.0 OK queued");
            reply = reply.endsWith("\n") ? reply : reply + "\r\n";
            if (reply.startsWith("2") && !script.dropsInsteadOfReplying(ReplyPoint.END_OF_DATA)) {
                // Recorded before the reply goes out, so a client that saw 250 finds the message.
                server.record(new ReceivedMessage(heloName, mailFrom, mailParameters, recipients,
                        body.toByteArray(), tls, recipientParameters, Optional.ofNullable(authenticatedUser),
                        connection.number(), size, HexFormat.of().formatHex(digest.digest())));
                connection.messageAccepted();
            }
            pause(ReplyPoint.END_OF_DATA);
            sendAt(ReplyPoint.END_OF_DATA, reply);
        }
        resetTransaction();
    }

    /** Answers 220 and upgrades the connection; a failed handshake ends the session. */
    private void startTls() throws IOException, InterruptedException {
        if (!settings.offersStartTls()) {
            reply("502 5.5.1 STARTTLS not offered");
            return;
        }
        if (tls.isPresent()) {
            reply("503 5.5.1 TLS already active");
            return;
        }
        String reply = choose(ReplyPoint.STARTTLS, "220 2.0.0 Ready to start TLS");
        sendAt(ReplyPoint.STARTTLS, reply);
        if (!reply.startsWith("2")) {
            return;
        }
        if (settings.tlsFailure().isPresent()) {
            if (settings.tlsFailure().get() == TlsHandshakeFailure.GARBAGE) {
                // Wait for the ClientHello, so the garbage is what the client reads as the answer.
                if (!in.awaitData()) {
                    throw new EndSession("closed before the ClientHello");
                }
                out.write(NOT_A_SERVER_HELLO);
                out.flush();
            }
            throw new EndSession("TLS handshake spoiled on purpose");
        }
        // RFC 3207 4.2 and the STARTTLS command injection attacks: whatever the client pipelined
        // in clear text after STARTTLS is dropped with the old reader, never answered.
        SSLSocket ssl = (SSLSocket) settings.tls().orElseThrow().getSocketFactory()
                .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        ssl.setUseClientMode(false);
        server.replaced(socket, ssl);
        attach(ssl);
        ssl.startHandshake();
        SSLSession session = ssl.getSession();
        TlsDetails details = new TlsDetails(session.getProtocol(), session.getCipherSuite(), serverName(session));
        tls = Optional.of(details);
        connection.tls(details);
        // RFC 3207 4.2: forget what the client said before TLS.
        heloName = null;
        extended = false;
        authenticatedUser = null;
        resetTransaction();
    }

    /** RFC 4954 AUTH with PLAIN (RFC 4616) or LOGIN, initial response or not. */
    private void auth(String line) throws IOException, InterruptedException {
        if (!settings.requiresAuth()) {
            reply("502 5.5.1 AUTH not offered");
            return;
        }
        if (!extended || authenticatedUser != null || mailFrom != null) {
            reply("503 5.5.1 AUTH not allowed now");
            return;
        }
        String[] words = line.split(" +");
        String mechanism = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "";
        if (!settings.authMechanisms().contains(mechanism)) {
            reply("504 5.5.4 Mechanism not supported");
            return;
        }
        Optional<String> initial = words.length > 2 ? Optional.of(words[2]) : Optional.empty();
        String user;
        String password;
        try {
            if (mechanism.equals("PLAIN")) {
                String response = decode(initial.isPresent() ? initial.get() : challenge(""));
                String[] parts = response.split("\0", -1);
                if (parts.length != 3) {
                    reply("501 5.5.2 Malformed PLAIN response");
                    return;
                }
                user = parts[1];
                password = parts[2];
            } else {
                user = decode(initial.isPresent() ? initial.get() : challenge("VXNlcm5hbWU6"));
                password = decode(challenge("UGFzc3dvcmQ6"));
            }
        } catch (IllegalArgumentException e) {
            reply("501 5.5.2 Cannot decode response");
            return;
        } catch (AuthCancelled e) {
            reply("501 5.7.0 Authentication cancelled");
            return;
        }
        boolean valid = user.equals(settings.authUser().orElseThrow())
                && password.equals(settings.authPassword().orElseThrow());
        String reply = choose(ReplyPoint.AUTH, valid
                ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
        if (reply.startsWith("2")) {
            authenticatedUser = user;
        }
        sendAt(ReplyPoint.AUTH, reply);
    }

    private static final class AuthCancelled extends RuntimeException {
        AuthCancelled() {
            super("client sent *", null, false, false);
        }
    }

    private String challenge(String base64) throws IOException {
        reply("334 " + base64);
        byte[] line = in.readLine(MAX_COMMAND_LINE);
        if (line == null) {
            throw new IOException("connection closed during AUTH");
        }
        String response = new String(line, StandardCharsets.US_ASCII).strip();
        if (response.equals("*")) {
            throw new AuthCancelled();
        }
        return response;
    }

    private static String decode(String base64) {
        // RFC 4954 4: "=" is an empty initial response.
        return base64.equals("=") ? "" : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private boolean mailParameterOffered(String parameter) {
        if (!extended) {
            return false;
        }
        String keyword = keyword(parameter);
        String value = parameter.contains("=") ? parameter.substring(parameter.indexOf('=') + 1) : "";
        return switch (keyword) {
            case "SIZE" -> settings.offers(SinkExtension.SIZE);
            case "BODY" -> value.equalsIgnoreCase("7BIT")
                    || value.equalsIgnoreCase("8BITMIME") && settings.offers(SinkExtension.EIGHT_BIT_MIME);
            case "SMTPUTF8" -> settings.offers(SinkExtension.SMTPUTF8);
            case "RET", "ENVID" -> settings.offers(SinkExtension.DSN);
            case "AUTH" -> settings.requiresAuth();
            case "REQUIRETLS" -> settings.offers(SinkExtension.REQUIRETLS) && tls.isPresent() && value.isEmpty();
            default -> false;
        };
    }

    private static String keyword(String parameter) {
        int equals = parameter.indexOf('=');
        return (equals < 0 ? parameter : parameter.substring(0, equals)).toUpperCase(Locale.ROOT);
    }

    private static List<String> parameters(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.trim().split(" +"));
    }

    private static boolean needsSmtpUtf8(String address) {
        return address.chars().anyMatch(c -> c > 127);
    }

    private static Optional<String> serverName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            return extended.getRequestedServerNames().stream()
                    .filter(SNIHostName.class::isInstance)
                    .map(name -> ((SNIHostName) name).getAsciiName())
                    .findFirst();
        }
        return Optional.empty();
    }

    private void resetTransaction() {
        mailFrom = null;
        mailParameters = List.of();
        recipients.clear();
        recipientParameters.clear();
    }

    private String readCommand() throws IOException {
        // Nothing left over from the last read means the client waited for our reply.
        boolean startsGroup = in.buffered() == 0;
        byte[] line = in.readLine(MAX_COMMAND_LINE);
        if (line == null) {
            return null;
        }
        String text = new String(line, StandardCharsets.UTF_8);
        text = text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : text.stripTrailing();
        connection.command(text.split(" ", 2)[0].toUpperCase(Locale.ROOT), startsGroup);
        return text;
    }

    private void attach(Socket connected) throws IOException {
        socket = connected;
        in = new LineReader(connected.getInputStream());
        out = connected.getOutputStream();
    }

    private static String multiLine(int code, List<String> lines) {
        StringBuilder reply = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            reply.append(code).append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i)).append("\r\n");
        }
        return reply.toString();
    }

    /** Waits as scripted, then gives the scripted reply at {@code point} or the default one. */
    private String choose(ReplyPoint point, String defaultReply) throws IOException, InterruptedException {
        pause(point);
        String reply = script.replyAt(point, connection.number()).orElse(defaultReply);
        return reply.endsWith("\n") ? reply : reply + "\r\n";
    }

    private void pause(ReplyPoint point) throws IOException, InterruptedException {
        Optional<Duration> delay = script.delayAt(point);
        if (delay.isPresent()) {
            pause(delay.get());
        }
    }

    /**
     * Waits this long, less if the sink closes; a client that hangs up meanwhile ends the session,
     * as a real server blocked in a read would notice, so a silent sink does not keep connections
     * its client has long given up. Once the client sends something the rest of the wait is plain
     * (what arrived stays buffered for the next command); over TLS the wait is plain throughout.
     */
    private void pause(Duration delay) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + delay.toNanos();
        if (in.buffered() == 0 && tls.isEmpty()) {
            int before = socket.getSoTimeout();
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    socket.setSoTimeout((int) Math.clamp(TimeUnit.NANOSECONDS.toMillis(left), 1, Integer.MAX_VALUE));
                    if (!in.awaitData()) {
                        throw new EndSession("the client hung up while the sink waited");
                    }
                }
            } catch (SocketTimeoutException e) {
                // The whole wait passed in silence.
            } finally {
                if (!socket.isClosed()) {
                    socket.setSoTimeout(before);
                }
            }
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            server.pause(Duration.ofNanos(left));
        }
    }

    /**
     * Sends the reply at a scripted point as the script says: not at all (the connection closes
     * instead), octet by octet, or followed by closing the connection.
     */
    private void sendAt(ReplyPoint point, String reply) throws IOException, InterruptedException {
        if (script.dropsInsteadOfReplying(point)) {
            throw new EndSession("dropped instead of replying at " + point);
        }
        Optional<Duration> trickle = script.trickleAt(point);
        if (trickle.isPresent()) {
            for (byte octet : reply.getBytes(StandardCharsets.UTF_8)) {
                pause(trickle.get());
                out.write(octet);
                out.flush();
            }
            if (reply.startsWith("421")) {
                throw new EndSession("421 sent");
            }
        } else {
            send(reply);
        }
        if (script.dropsAfterReplying(point)) {
            throw new EndSession("dropped after replying at " + point);
        }
    }

    /** Sends a reply; after 421 the session ends (RFC 5321 3.8). */
    private void send(String reply) throws IOException {
        out.write(reply.getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (reply.startsWith("421")) {
            throw new EndSession("421 sent");
        }
    }

    private void reply(String line) throws IOException {
        send(line + "\r\n");
    }
}
