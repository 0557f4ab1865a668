package dev.mta.delivery.smtpclient;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Run in a JVM of its own by {@link LargeMessageTest}: sends one generated message of the given
 * size over STARTTLS and exits 0 when every recipient was delivered.
 */
public final class LargeMessageSender {

    private LargeMessageSender() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        long size = Long.parseLong(args[2]);
        SmtpClientSettings settings = SmtpClientSettings.defaults(Outbound.HELO_NAME)
                .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(60)));
        OutboundMessage message = new OutboundMessage("alice@example.org",
                List.of(new OutboundRecipient("bob@example.com")), size, false, false, Optional.empty(),
                Optional.empty(), () -> new GeneratedContent(size));
        int exitCode;
        try (SmtpClient client = new SmtpClient(settings)) {
            TransactionResult result = client.send(new Hop(Outbound.MX_HOST, address, TlsPolicy.opportunistic()), message)
                    .get(120, TimeUnit.SECONDS);
            System.out.println("RESULT " + result);
            exitCode = result instanceof TransactionResult.Completed completed
                    && completed.recipients().stream().allMatch(RecipientResult::delivered)
                    && completed.session().encrypted() ? 0 : 1;
        }
        System.out.println("MAX-HEAP " + Runtime.getRuntime().maxMemory());
        System.exit(exitCode);
    }
}
