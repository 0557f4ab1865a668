import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small SMTP load client for the benchmark, for what smtp-source cannot do: it times each
 * message from the end of DATA (the final CRLF.CRLF written) to the server's reply, and it can
 * spread a message's recipients over several domains (smtp-source only prefixes a number to the
 * local part, so its recipients all share one domain).
 *
 * <p>Run as a single source file: {@code java bench/SmtpLoad.java --port 2525 --sessions 20
 * --messages 2000 --size 4096 --recipients 10 --domains 10}. It prints one line of
 * {@code key=value} pairs and exits 0 only when every message got a 250 to its DATA.
 *
 * <p>No pipelining: each command waits for its reply, as smtp-source does, so the figures compare.
 */
public final class SmtpLoad {

    private record Options(String host, int port, int sessions, int messages, int size,
                           int recipients, int domains, boolean reuseConnections) {

        static Options parse(String[] args) {
            String host = "127.0.0.1";
            int port = 25, sessions = 1, messages = 100, size = 4096, recipients = 1, domains = 1;
            boolean reuse = true;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--host" -> host = args[++i];
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--sessions" -> sessions = Integer.parseInt(args[++i]);
                    case "--messages" -> messages = Integer.parseInt(args[++i]);
                    case "--size" -> size = Integer.parseInt(args[++i]);
                    case "--recipients" -> recipients = Integer.parseInt(args[++i]);
                    case "--domains" -> domains = Integer.parseInt(args[++i]);
                    case "--connection-per-message" -> reuse = false;
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            return new Options(host, port, sessions, messages, size, recipients, domains, reuse);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        byte[] body = messageBody(options.size());
        AtomicInteger nextMessage = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong firstFailure = new AtomicLong(-1);
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        String[] failureText = new String[1];
        long start = System.nanoTime();
        for (int s = 0; s < options.sessions(); s++) {
            long[] mine = new long[options.messages()];
            Arrays.fill(mine, -1);
            latencies.add(mine);
            Thread t = Thread.ofPlatform().name("session-" + s).start(() -> {
                try {
                    runSession(options, body, nextMessage, mine);
                } catch (IOException | RuntimeException e) {
                    failed.incrementAndGet();
                    if (firstFailure.compareAndSet(-1, 0)) {
                        failureText[0] = e.toString();
                    }
                }
            });
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(v -> v >= 0).sorted().toArray();
        int sent = all.length;
        System.out.printf("sent=%d failed_sessions=%d seconds=%.3f rate=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f%s%n",
                sent, failed.get(), seconds, sent / seconds,
                percentile(all, 0.50), percentile(all, 0.99), all.length == 0 ? 0.0 : all[all.length - 1] / 1e6,
                failureText[0] == null ? "" : " error=\"" + failureText[0].replace('"', '\'') + "\"");
        System.exit(sent == options.messages() && failed.get() == 0 ? 0 : 1);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }

    private static void runSession(Options options, byte[] body, AtomicInteger nextMessage, long[] latencies)
            throws IOException {
        Connection connection = null;
        try {
            int n;
            while ((n = nextMessage.getAndIncrement()) < options.messages()) {
                if (connection == null) {
                    connection = Connection.open(options.host(), options.port());
                }
                connection.command("MAIL FROM:<load@bench.example>", 250);
                for (int r = 0; r < options.recipients(); r++) {
                    String domain = "d" + (r % options.domains()) + ".bench.example";
                    connection.command("RCPT TO:<u" + n + "." + r + "@" + domain + ">", 250);
                }
                connection.command("DATA", 354);
                connection.out.write(body);
                connection.out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                connection.out.flush();
                long endOfData = System.nanoTime();
                connection.expect(250, "end of DATA");
                latencies[n] = System.nanoTime() - endOfData;
                if (!options.reuseConnections()) {
                    connection.close();
                    connection = null;
                }
            }
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** Headers and a body of 78-character lines, about {@code size} bytes in all, ending in CRLF. */
    private static byte[] messageBody(int size) {
        StringBuilder b = new StringBuilder();
        b.append("From: <load@bench.example>\r\nTo: <bench@bench.example>\r\nSubject: benchmark\r\n\r\n");
        String line = "x".repeat(76) + "\r\n";
        while (b.length() + line.length() <= size) {
            b.append(line);
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static Connection open(String host, int port) throws IOException {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(120_000);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            Connection c = new Connection(socket);
            c.expect(220, "greeting");
            c.command("EHLO load.bench.example", 250);
            return c;
        }

        void command(String line, int expected) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expect(expected, line);
        }

        /** Reads a whole (possibly multi-line) reply and checks its code. */
        void expect(int expected, String after) throws IOException {
            String last;
            do {
                last = readLine();
            } while (last.length() > 3 && last.charAt(3) == '-');
            if (!last.startsWith(Integer.toString(expected))) {
                throw new IOException("after " + after + ": " + last);
            }
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(128);
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    return line.toString(StandardCharsets.US_ASCII).stripTrailing();
                }
                line.write(c);
            }
            throw new IOException("connection closed");
        }

        void close() {
            try {
                out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                expect(221, "QUIT");
            } catch (IOException ignored) {
                // the message is already answered; a lost QUIT changes nothing measured
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a loopback socket we own; nothing to do about a failure
            }
        }
    }
}
