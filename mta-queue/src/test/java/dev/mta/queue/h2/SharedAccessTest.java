package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import dev.mta.queue.h2.child.QueueLister;
import java.io.IOException;
import java.io.StringReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
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

    @Test
    void theDatabaseServerListensOnLoopbackOnly() throws Exception {
        try (H2MessageStore relay = H2MessageStore.open(H2StoreSettings.defaults(data))) {
            Properties lock = new Properties();
            lock.load(new StringReader(Files.readString(data.resolve("queue/queue.lock.db"))));
            String server = lock.getProperty("server");
            String host = server.substring(0, server.lastIndexOf(':'));
            int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));

            assertThat(InetAddress.getByName(host).isLoopbackAddress()).as(server).isTrue();
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

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        return NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .findFirst();
    }

    @Test
    void onlyTheOwnerCanReadTheQueueDirectoryAndTheCredentials() throws Exception {
        try (H2MessageStore relay = H2MessageStore.open(H2StoreSettings.defaults(data))) {
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
