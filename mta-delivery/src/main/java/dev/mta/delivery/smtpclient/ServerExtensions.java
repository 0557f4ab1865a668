package dev.mta.delivery.smtpclient;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The ESMTP extensions a server announced in its EHLO reply (RFC 5321 4.1.1.1): each line after
 * the first is a keyword and its parameters.
 */
record ServerExtensions(Map<String, List<String>> keywords) {

    ServerExtensions {
        keywords = Map.copyOf(keywords);
    }

    /** After HELO: nothing at all. */
    static ServerExtensions none() {
        return new ServerExtensions(Map.of());
    }

    static ServerExtensions fromEhlo(SmtpReply reply) {
        Map<String, List<String>> keywords = new LinkedHashMap<>();
        for (String line : reply.lines().subList(1, reply.lines().size())) {
            String[] words = line.trim().split("[ \\t]+");
            if (words[0].isEmpty()) {
                continue;
            }
            String keyword = words[0].toUpperCase(Locale.ROOT);
            List<String> parameters = List.of(words).subList(1, words.length);
            // Some servers still announce AUTH the pre-RFC 4954 way, "AUTH=LOGIN PLAIN".
            if (keyword.startsWith("AUTH=")) {
                List<String> mechanisms = new java.util.ArrayList<>();
                mechanisms.add(keyword.substring(5));
                mechanisms.addAll(parameters);
                keywords.merge("AUTH", mechanisms, ServerExtensions::union);
            } else {
                keywords.merge(keyword, parameters, ServerExtensions::union);
            }
        }
        return new ServerExtensions(keywords);
    }

    boolean offers(String keyword) {
        return keywords.containsKey(keyword);
    }

    boolean pipelining() {
        return offers("PIPELINING");
    }

    boolean startTls() {
        return offers("STARTTLS");
    }

    boolean eightBitMime() {
        return offers("8BITMIME");
    }

    /** RFC 8689 2: the server takes on the REQUIRETLS requirement. */
    boolean requireTls() {
        return offers("REQUIRETLS");
    }

    boolean smtpUtf8() {
        return offers("SMTPUTF8");
    }

    boolean dsn() {
        return offers("DSN");
    }

    boolean size() {
        return offers("SIZE");
    }

    /**
     * The fixed maximum message size, when the server announced one. RFC 1870 4: SIZE without a
     * number, or with 0, means no fixed maximum.
     */
    OptionalLong sizeLimit() {
        List<String> parameters = keywords.get("SIZE");
        if (parameters == null || parameters.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long limit = Long.parseLong(parameters.getFirst());
            return limit > 0 ? OptionalLong.of(limit) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The SASL mechanisms after AUTH, upper case. */
    Set<String> authMechanisms() {
        Set<String> mechanisms = new LinkedHashSet<>();
        for (String mechanism : keywords.getOrDefault("AUTH", List.of())) {
            mechanisms.add(mechanism.toUpperCase(Locale.ROOT));
        }
        return mechanisms;
    }

    private static List<String> union(List<String> a, List<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
