package dev.mta.server.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;

/**
 * What the sendmail command needs beyond the queue: how it completes local addresses.
 *
 * @param originDomain the domain of unqualified addresses ({@code root} becomes {@code root@origin})
 *                     and of generated From addresses (Postfix's myorigin)
 * @param rewrite      envelope recipients replaced by another address, keyed by the qualified
 *                     address in lower case (Postfix's virtual_alias_maps, one level):
 *                     {@code root@origin -> ops@example.org}
 * @param postdrop     the set-group-id helper through which users who may not write the mail
 *                     drop themselves hand their mail over; empty: none
 */
public record SendmailConfig(String originDomain, Map<String, String> rewrite, Optional<Path> postdrop) {

    public SendmailConfig {
        Objects.requireNonNull(originDomain, "originDomain");
        rewrite = Map.copyOf(rewrite);
        Objects.requireNonNull(postdrop, "postdrop");
    }
}
