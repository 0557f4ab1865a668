package dev.mta.server.admin;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One admin request as a resource sees it, read whole off the connection before the resource
 * runs (so it may run on another thread than the one that read it).
 *
 * @param method        GET, POST, ... in upper case
 * @param path          the decoded path, without the query
 * @param query         the query parameters in the order given; a name may repeat
 * @param body          the request body as UTF-8 text (at most {@link AdminServer#MAX_REQUEST_BYTES})
 * @param remoteAddress who sent it, for the log of operator actions
 * @param operator      the {@value #OPERATOR_HEADER} header: who the client says is acting
 */
public record AdminRequest(String method, String path, Map<String, List<String>> query, String body,
        InetSocketAddress remoteAddress, Optional<String> operator) {

    /** The header in which {@code mta queue} names the user who runs it. */
    public static final String OPERATOR_HEADER = "X-Mta-Operator";

    public AdminRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = Map.copyOf(query);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(operator, "operator");
    }

    /** Every value of a query parameter, in order; empty when not given. */
    public List<String> parameters(String name) {
        return query.getOrDefault(name, List.of());
    }

    /**
     * The one value of a query parameter.
     *
     * @throws AdminRequestException 400 when it is given more than once
     */
    public Optional<String> parameter(String name) {
        List<String> values = parameters(name);
        if (values.size() > 1) {
            throw AdminRequestException.badRequest("give " + name + " once, not " + values.size() + " times");
        }
        return values.stream().findFirst();
    }

    /** The client's address as an operator reads it in a log line: 127.0.0.1:53124. */
    public String remote() {
        return AdminServer.text(remoteAddress);
    }
}
