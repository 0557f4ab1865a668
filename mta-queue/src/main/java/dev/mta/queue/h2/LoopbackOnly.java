package dev.mta.queue.h2;

import dev.mta.queue.StoreException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Keeps H2's AUTO_SERVER port on loopback. In AUTO_SERVER mode the first process to open the
 * database starts a TCP server for the others, and H2 starts it with {@code -tcpAllowOthers}
 * (hard-coded in {@code Database.startServer}) on every interface unless the system property
 * {@code h2.bindAddress} is set. H2 reads that property once, when {@code SysProperties} is
 * first loaded; so it is set here before any H2 class runs, and what H2 actually read is
 * checked afterwards.
 */
final class LoopbackOnly {
    static final String BIND_ADDRESS_PROPERTY = "h2.bindAddress";
    private static final String LOOPBACK = "127.0.0.1";

    private LoopbackOnly() {
    }

    static synchronized void restrictH2Server() throws StoreException {
        String configured = System.getProperty(BIND_ADDRESS_PROPERTY);
        if (configured == null) {
            System.setProperty(BIND_ADDRESS_PROPERTY, LOOPBACK);
        } else if (!isLoopback(configured)) {
            throw new StoreException("-D" + BIND_ADDRESS_PROPERTY + "=" + configured
                    + " would expose the queue database to the network; remove it or set it to " + LOOPBACK, null);
        }
        String effective = org.h2.engine.SysProperties.BIND_ADDRESS;
        if (effective == null || !isLoopback(effective)) {
            throw new StoreException("H2 was loaded before the queue could restrict its AUTO_SERVER port to loopback ("
                    + BIND_ADDRESS_PROPERTY + " read as " + effective + "); start the JVM with -D"
                    + BIND_ADDRESS_PROPERTY + "=" + LOOPBACK, null);
        }
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
