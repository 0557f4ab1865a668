package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import dev.mta.queue.h2.child.HoldOpen;
import dev.mta.queue.h2.child.QueueLister;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mta queue list} in a second process while the relay has the queue open (H2 AUTO_SERVER). */
class SharedAccessTest {
    @TempDir
    Path data;

    @Test
    void aSecondProcessListsAndQueuesWhileTheFirstHasTheStoreOpen() throws Exception {
        try (H2MessageStore relay = H2MessageStore.open(H2StoreSettings.defaults(data))) {
            QueueId fromRelay = Queueing.queue(relay, Envelopes.to("bob@example.net"), Queueing.body(1));

            ChildJvm.Result child = new ChildJvm().run(QueueLister.class, data, "commit");

            assertThat(child.exitCode()).as(child.output()).isZero();
            assertThat(child.tagged("listed ")).containsExactly(fromRelay.value());
            QueueId fromChild = new QueueId(child.tagged("committed ").getFirst());
            assertThat(relay.list()).extracting(MessageSummary::id).containsExactlyInAnyOrder(fromRelay, fromChild);
            assertThat(relay.openBody(fromChild)).hasContent("Subject: from the second process\r\n\r\n");
        }
    }

    /**
     * The queue listing was started first, so H2 serves the file from it; when it exits, the
     * relay's connections reconnect and the relay takes the file over, without losing a commit.
     */
    @Test
    void theRelayCarriesOnWhenTheProcessServingTheDatabaseExits() throws Exception {
        Process lister = new ChildJvm().start(HoldOpen.class, data);
        try (BufferedReader output = lister.inputReader(StandardCharsets.UTF_8)) {
            assertThat(output.readLine()).isEqualTo("open 0");
            assertThat(serverAddress().getAddress().isLoopbackAddress())
                    .as("the child JVM restricted its H2 server by itself").isTrue();
            try (H2MessageStore relay = H2MessageStore.open(H2StoreSettings.defaults(data))) {
                QueueId whileServed = Queueing.queue(relay, Envelopes.to("bob@example.net"), Queueing.body(1));

                lister.getOutputStream().close();
                assertThat(lister.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(lister.exitValue()).isZero();
                QueueId afterwards = Queueing.queue(relay, Envelopes.to("carol@example.net"), Queueing.body(2));

                assertThat(relay.list()).extracting(MessageSummary::id).containsExactlyInAnyOrder(whileServed, afterwards);
            }
        } finally {
            lister.destroyForcibly();
        }
    }

    @Test
    void theDatabaseServerListensOnLoopbackOnly() throws Exception {
        try (H2MessageStore relay = H2MessageStore.open(H2StoreSettings.defaults(data))) {
            assertThat(relay.queueDirectory()).isEqualTo(data.resolve("queue"));
            InetSocketAddress server = serverAddress();
            int port = server.getPort();

            assertThat(server.getAddress().isLoopbackAddress()).as(server.toString()).isTrue();
            try (Socket loopback = new Socket()) {
                loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            }
            Optional<InetAddress> external = nonLoopbackAddress();
            assumeTrue(external.isPresent(), "this machine has no address besides loopback to try");
            assertThatThrownBy(() -> {
                try (Socket outside = new Socket()) {
                    outside.connect(new InetSocketAddress(external.get(), port), 2000);
                }
            }).isInstanceOf(IOException.class);
        }
    }

    /** Where H2 says, in its lock file, that the process owning the database serves it. */
    private InetSocketAddress serverAddress() throws IOException {
        Properties lock = new Properties();
        lock.load(new StringReader(Files.readString(data.resolve("queue/queue.lock.db"))));
        String server = lock.getProperty("server");
        int colon = server.lastIndexOf(':');
        return new InetSocketAddress(InetAddress.getByName(server.substring(0, colon)),
                Integer.parseInt(server.substring(colon + 1)));
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        return NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .findFirst();
    }

    @Test
    void onlyTheOwnerCanReadTheQueueDirectoryAndTheCredentials() throws Exception {
        try (H2MessageStore relay = H2MessageStore.open(H2StoreSettings.defaults(data))) {
            assertThat(relay.list()).isEmpty();
            for (String directory : List.of("queue", "queue/incoming", "queue/bodies")) {
                assertThat(Files.getPosixFilePermissions(data.resolve(directory)))
                        .as(directory).isEqualTo(dev.mta.queue.spool.OwnerOnly.DIRECTORY);
            }
            assertThat(Files.getPosixFilePermissions(data.resolve("queue/database.credentials")))
                    .isEqualTo(dev.mta.queue.spool.OwnerOnly.FILE);
            assertThat(Files.readString(data.resolve("queue/database.credentials"))).contains("password=");
        }
    }
}
