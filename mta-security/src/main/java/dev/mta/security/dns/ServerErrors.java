package dev.mta.security.dns;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;

/**
 * Stands between dnsjava's validating resolver and the servers, and turns an answer with an
 * error RCODE (SERVFAIL, REFUSED, ...) into a failed query. The validator would otherwise judge
 * such an answer itself and report it as bogus ("response subtype UNKNOWN"), hiding that the
 * server never answered: that is a failure to answer, INDETERMINATE, not proof of forgery.
 */
final class ServerErrors implements Resolver {
    private final Resolver servers;

    ServerErrors(Resolver servers) {
        this.servers = Objects.requireNonNull(servers, "servers");
    }

    /** A query the server answered with an error RCODE. */
    static final class ServerErrorException extends RuntimeException {
        private final String question;
        private final int rcode;

        ServerErrorException(String question, int rcode) {
            super(Rcode.string(rcode) + " from the DNS server (" + question + ")");
            this.question = question;
            this.rcode = rcode;
        }

        /** The question that failed, as {@code name/TYPE}. */
        String question() {
            return question;
        }

        int rcode() {
            return rcode;
        }
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
        return servers.sendAsync(query, executor).thenCompose(response -> {
            int rcode = response.getRcode();
            if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
                return CompletableFuture.completedFuture(response);
            }
            String question = QueryNames.question(query.getQuestion().getName(), query.getQuestion().getType());
            return CompletableFuture.failedFuture(new ServerErrorException(question, rcode));
        });
    }

    @Override
    public void setPort(int port) {
        servers.setPort(port);
    }

    @Override
    public void setTCP(boolean flag) {
        servers.setTCP(flag);
    }

    @Override
    public void setIgnoreTruncation(boolean flag) {
        servers.setIgnoreTruncation(flag);
    }

    @Override
    public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
        servers.setEDNS(version, payloadSize, flags, options);
    }

    @Override
    public void setTSIGKey(TSIG key) {
        servers.setTSIGKey(key);
    }

    @Override
    public void setTimeout(Duration timeout) {
        servers.setTimeout(timeout);
    }

    @Override
    public Duration getTimeout() {
        return servers.getTimeout();
    }
}
