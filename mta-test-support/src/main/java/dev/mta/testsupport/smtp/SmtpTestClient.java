package dev.mta.testsupport.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A blocking SMTP client for tests of an SMTP server. It does exactly what the test says and
 * nothing more: it reads no greeting on its own, sends no EHLO after STARTTLS, and with
 * {@link #sendRaw} sends bytes no real client would (bare LF, bare CR, pipelined commands).
 * Every read has a timeout, so a server that stops answering fails the test instead of
 * hanging it.
 */
public final class SmtpTestClient implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    // RFC 5321 4.5.3.1.5 allows reply lines of 512 octets; a broken server gets more slack.
    private static final int MAX_REPLY_LINE = 64 * 1024;
    private static final int MAX_REPLY_LINES = 1000;
    private static final Pattern REPLY_LINE = Pattern.compile("[2-5][0-9][0-9]([ -].*)?");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private final String host;
    private final int port;
    private Socket socket;
    private LineReader in;
    private OutputStream out;

    private SmtpTestClient(Socket socket, String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        attach(socket);
    }

    /** Connects in clear text; the greeting is left for the test to {@link #readReply()}. */
    public static SmtpTestClient connect(String host, int port) throws IOException {
        return connect(host, port, DEFAULT_TIMEOUT);
    }

    /** Connects in clear text with a connect and read timeout. */
    public static SmtpTestClient connect(String host, int port, Duration timeout) throws IOException {
        return connectFrom(null, host, port, timeout);
    }

    /**
     * Connects from a given local address (127.0.0.2 ...), so one test can be several clients;
     * null: any.
     */
    public static SmtpTestClient connectFrom(String localAddress, String host, int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, 0));
            }
            socket.connect(new InetSocketAddress(host, port), Math.toIntExact(timeout.toMillis()));
            socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            socket.setTcpNoDelay(true);
            return new SmtpTestClient(socket, host, port);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Connects and completes a TLS handshake at once (RFC 8314 implicit TLS, port 465). The SNI
     * name is {@code host} unless it is an IP literal. The greeting is left for the test.
     */
    public static SmtpTestClient connectImplicitTls(String host, int port, SSLContext context) throws IOException {
        return connectImplicitTls(host, port, context, IP_LITERAL.matcher(host).matches() ? null : host);
    }

    /** Implicit TLS with an explicit SNI name, or none when {@code sniHost} is null. */
    public static SmtpTestClient connectImplicitTls(String host, int port, SSLContext context, String sniHost)
            throws IOException {
        SmtpTestClient client = connect(host, port);
        try {
            client.handshake(context, sniHost);
            return client;
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Reads one complete reply, following {@code 250-} continuation lines to the last line. */
    public SmtpReply readReply() throws IOException {
        StringBuilder raw = new StringBuilder();
        List<String> texts = new ArrayList<>();
        int code = -1;
        while (true) {
            byte[] bytes = in.readLine(MAX_REPLY_LINE);
            if (bytes == null) {
                throw new SmtpProtocolException(texts.isEmpty()
                        ? "connection closed by the server before a reply"
                        : "connection closed by the server in the middle of a reply: " + raw);
            }
            String line = new String(bytes, StandardCharsets.UTF_8);
            raw.append(line);
            if (!line.endsWith("\r\n")) {
                throw new SmtpProtocolException("reply line not terminated by CRLF: " + printable(line));
            }
            String content = line.substring(0, line.length() - 2);
            if (!REPLY_LINE.matcher(content).matches()) {
                throw new SmtpProtocolException("not an SMTP reply line: " + printable(content));
            }
            int lineCode = Integer.parseInt(content.substring(0, 3));
            if (code >= 0 && lineCode != code) {
                throw new SmtpProtocolException("reply code changed from " + code + " to " + lineCode
                        + " inside a multi-line reply: " + printable(raw.toString()));
            }
            code = lineCode;
            texts.add(content.length() > 4 ? content.substring(4) : "");
            if (content.length() == 3 || content.charAt(3) == ' ') {
                return new SmtpReply(code, texts, raw.toString());
            }
            if (texts.size() >= MAX_REPLY_LINES) {
                throw new SmtpProtocolException("reply has more than " + MAX_REPLY_LINES + " lines");
            }
        }
    }

    /** Sends one command line; CRLF is appended. Use {@link #sendRaw} for other line endings. */
    public void send(String line) throws IOException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("send() appends CRLF itself; use sendRaw() for exact bytes");
        }
        sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends bytes exactly as given. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a command and reads its reply. */
    public SmtpReply command(String line) throws IOException {
        send(line);
        return readReply();
    }

    /** Sends EHLO; see {@link SmtpReply#extensionKeywords()} for what the server advertised. */
    public SmtpReply ehlo(String name) throws IOException {
        return command("EHLO " + name);
    }

    /**
     * Sends STARTTLS and, after a 220, upgrades the connection (RFC 3207).
     *
     * @param sniHost the SNI name to send, or null for none
     * @return the session, to inspect the protocol, cipher suite and server certificates
     * @throws UnexpectedReplyException when the server does not answer 220
     */
    public SSLSession startTls(SSLContext context, String sniHost) throws IOException {
        SmtpReply reply = command("STARTTLS");
        if (reply.code() != 220) {
            throw new UnexpectedReplyException("220 to STARTTLS", reply);
        }
        return upgradeToTls(context, sniHost);
    }

    /**
     * Starts the TLS handshake on the current connection without sending anything first, for
     * tests that send STARTTLS themselves (for example pipelined with injected commands).
     *
     * @throws SmtpProtocolException when clear-text bytes are still waiting to be read: the
     *                               server sent something after its 220
     */
    public SSLSession upgradeToTls(SSLContext context, String sniHost) throws IOException {
        if (in.buffered() > 0) {
            throw new SmtpProtocolException(in.buffered() + " clear-text bytes arrived after the reply to STARTTLS");
        }
        return handshake(context, sniHost);
    }

    /**
     * Sends a message body: lines starting with a dot get another dot (RFC 5321 4.5.2), every
     * line ends in CRLF (a lone LF becomes CRLF), and the body ends with {@code .CRLF}. Send
     * DATA and read its 354 first, or use {@link #data}.
     *
     * @return the reply to the end of the data
     */
    public SmtpReply sendData(String message) throws IOException {
        StringBuilder body = new StringBuilder();
        if (!message.isEmpty()) {
            for (String line : message.split("\r?\n", -1)) {
                body.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
            }
            if (message.endsWith("\n")) {
                // split() left an empty last element for the final line ending; drop its CRLF.
                body.setLength(body.length() - 2);
            }
        }
        body.append(".\r\n");
        sendRaw(body.toString().getBytes(StandardCharsets.UTF_8));
        return readReply();
    }

    /**
     * Sends DATA, expects 354, then sends the message with {@link #sendData}.
     *
     * @throws UnexpectedReplyException when DATA is not answered with 354
     */
    public SmtpReply data(String message) throws IOException {
        SmtpReply reply = command("DATA");
        if (reply.code() != 354) {
            throw new UnexpectedReplyException("354 to DATA", reply);
        }
        return sendData(message);
    }

    /** The TLS socket once STARTTLS or implicit TLS has completed, for tests that act on TLS itself (renegotiation). */
    public Optional<SSLSocket> sslSocket() {
        return socket instanceof SSLSocket ssl ? Optional.of(ssl) : Optional.empty();
    }

    /** The TLS session once STARTTLS or implicit TLS has completed. */
    public Optional<SSLSession> tlsSession() {
        return socket instanceof SSLSocket ssl ? Optional.of(ssl.getSession()) : Optional.empty();
    }

    /** Whether the server has closed the connection, waiting up to one second for it to do so. */
    public boolean isClosedByServer() throws IOException {
        return isClosedByServer(Duration.ofSeconds(1));
    }

    /**
     * Whether the server closes the connection within {@code wait}. Bytes that arrive instead
     * stay unread for {@link #readReply()}, and the answer is false.
     */
    public boolean isClosedByServer(Duration wait) throws IOException {
        if (in.buffered() > 0) {
            return false;
        }
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(Math.toIntExact(Math.max(1, wait.toMillis())));
        try {
            return !in.awaitData();
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException | SSLException e) {
            // A reset, or a TLS connection torn down without close_notify: closed all the same.
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(timeout);
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private SSLSession handshake(SSLContext context, String sniHost) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
        ssl.setUseClientMode(true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setServerNames(sniHost == null ? List.of() : List.of(new SNIHostName(sniHost)));
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        attach(ssl);
        return ssl.getSession();
    }

    private void attach(Socket connected) throws IOException {
        socket = connected;
        in = new LineReader(connected.getInputStream());
        out = connected.getOutputStream();
    }

    private static String printable(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }
}
