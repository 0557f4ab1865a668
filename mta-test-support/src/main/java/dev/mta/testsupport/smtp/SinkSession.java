package dev.mta.testsupport.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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

    private final SmtpSinkServer server;
    private Socket socket;
    private LineReader in;
    private OutputStream out;
    private Optional<TlsDetails> tls = Optional.empty();
    private String heloName;
    private String mailFrom;
    private List<String> mailParameters = List.of();
    private final List<String> recipients = new ArrayList<>();

    SinkSession(SmtpSinkServer server, Socket socket) {
        this.server = server;
        this.socket = socket;
    }

    @Override
    public void run() {
        try {
            attach(socket);
            reply("220 " + server.hostName() + " ESMTP sink");
            String line;
            while ((line = readCommand()) != null) {
                if (!handle(line)) {
                    break;
                }
            }
        } catch (IOException e) {
            // The client went away or the TLS handshake failed; nothing to record.
        } finally {
            server.closed(socket);
            try {
                socket.close();
            } catch (IOException e) {
                // Already closing; nothing more to release.
            }
        }
    }

    /** Answers one command; false when the session is over. */
    private boolean handle(String line) throws IOException {
        String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        switch (verb) {
            case "EHLO" -> ehlo(line);
            case "HELO" -> helo(line);
            case "MAIL" -> mail(line);
            case "RCPT" -> rcpt(line);
            case "DATA" -> data();
            case "RSET" -> {
                resetTransaction();
                reply("250 2.0.0 OK");
            }
            case "NOOP" -> reply("250 2.0.0 OK");
            case "STARTTLS" -> startTls();
            case "QUIT" -> {
                reply("221 2.0.0 Bye");
                return false;
            }
            default -> reply("500 5.5.2 Command not recognised");
        }
        return true;
    }

    private void ehlo(String line) throws IOException {
        String[] words = line.split(" +");
        if (words.length < 2) {
            reply("501 5.5.4 EHLO needs a domain");
            return;
        }
        heloName = words[1];
        resetTransaction();
        List<String> lines = new ArrayList<>(List.of(server.hostName() + " greets " + heloName,
                "PIPELINING", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "SIZE " + server.maxMessageSize()));
        if (server.tls().isPresent() && tls.isEmpty()) {
            lines.add("STARTTLS");
        }
        StringBuilder reply = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            reply.append("250").append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i)).append("\r\n");
        }
        write(reply.toString());
    }

    private void helo(String line) throws IOException {
        String[] words = line.split(" +");
        if (words.length < 2) {
            reply("501 5.5.4 HELO needs a domain");
            return;
        }
        heloName = words[1];
        resetTransaction();
        reply("250 " + server.hostName());
    }

    private void mail(String line) throws IOException {
        if (heloName == null) {
            reply("503 5.5.1 Send EHLO or HELO first");
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
        List<String> parameters = matcher.group(2) == null ? List.of() : List.of(matcher.group(2).trim().split(" +"));
        for (String parameter : parameters) {
            Matcher size = SIZE.matcher(parameter);
            if (size.matches() && Long.parseLong(size.group(1)) > server.maxMessageSize()) {
                reply("552 5.3.4 Message size exceeds fixed limit");
                return;
            }
        }
        mailFrom = matcher.group(1);
        mailParameters = parameters;
        reply("250 2.1.0 OK");
    }

    private void rcpt(String line) throws IOException {
        if (mailFrom == null) {
            reply("503 5.5.1 Send MAIL first");
            return;
        }
        Matcher matcher = RCPT.matcher(line);
        if (!matcher.matches()) {
            reply("501 5.5.4 Syntax: RCPT TO:<address>");
            return;
        }
        String address = matcher.group(1);
        Optional<String> scripted = server.replyForRecipient(address);
        if (scripted.isEmpty() || scripted.get().startsWith("2")) {
            recipients.add(address);
        }
        reply(scripted.orElse("250 2.1.5 OK"));
    }

    private void data() throws IOException {
        if (recipients.isEmpty()) {
            // RFC 5321 3.3: 554 when there is no valid recipient.
            reply(mailFrom == null ? "503 5.5.1 Send MAIL first" : "554 5.5.1 No valid recipients");
            return;
        }
        reply("354 End data with <CR><LF>.<CR><LF>");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean tooBig = false;
        while (true) {
            byte[] line = in.readLine(MAX_DATA_LINE);
            if (line == null) {
                throw new IOException("connection closed during DATA");
            }
            if (Arrays.equals(line, END_OF_DATA)) {
                break;
            }
            // RFC 5321 4.5.2: remove the dot a sender added in front of a line starting with one.
            int skip = line.length > 1 && line[0] == '.' ? 1 : 0;
            if (body.size() + line.length - skip > server.maxMessageSize()) {
                tooBig = true;
            } else {
                body.write(line, skip, line.length - skip);
            }
        }
        if (tooBig) {
            reply("552 5.3.4 Message size exceeds fixed limit");
        } else {
            Optional<String> scripted = server.replyForData();
            if (scripted.isEmpty() || scripted.get().startsWith("2")) {
                server.record(new ReceivedMessage(heloName, mailFrom, mailParameters, recipients,
                        body.toByteArray(), tls));
            }
            reply(scripted.orElse("250 2.0.0 OK queued"));
        }
        resetTransaction();
    }

    /** Answers 220 and upgrades the connection; a failed handshake ends the session. */
    private void startTls() throws IOException {
        if (server.tls().isEmpty()) {
            reply("502 5.5.1 STARTTLS not offered");
            return;
        }
        if (tls.isPresent()) {
            reply("503 5.5.1 TLS already active");
            return;
        }
        reply("220 2.0.0 Ready to start TLS");
        // RFC 3207 4.2 and the STARTTLS command injection attacks: whatever the client pipelined
        // in clear text after STARTTLS is dropped with the old reader, never answered.
        SSLSocket ssl = (SSLSocket) server.tls().get().getSocketFactory()
                .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        ssl.setUseClientMode(false);
        server.replaced(socket, ssl);
        attach(ssl);
        ssl.startHandshake();
        SSLSession session = ssl.getSession();
        tls = Optional.of(new TlsDetails(session.getProtocol(), session.getCipherSuite(), serverName(session)));
        // RFC 3207 4.2: forget what the client said before TLS.
        heloName = null;
        resetTransaction();
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
    }

    private String readCommand() throws IOException {
        byte[] line = in.readLine(MAX_COMMAND_LINE);
        if (line == null) {
            return null;
        }
        String text = new String(line, StandardCharsets.UTF_8);
        return text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : text.stripTrailing();
    }

    private void attach(Socket connected) throws IOException {
        socket = connected;
        in = new LineReader(connected.getInputStream());
        out = connected.getOutputStream();
    }

    private void reply(String line) throws IOException {
        write(line + "\r\n");
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
