package dev.mta.security.mtasts;

/** Where policies come from: {@link StsPolicyFetcher} over HTTPS. */
@FunctionalInterface
public interface StsPolicySource {

    /**
     * Fetches the policy of {@code domain} (an A-label name, lower case, no trailing dot); the
     * result carries {@code id}, the id of the TXT record that announced it. Blocks until the
     * answer or the timeout; never throws for network or content problems.
     */
    FetchResult fetch(String domain, String id);
}
