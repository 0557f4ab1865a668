package dev.mta.security.policy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A table keyed by destination domain, matched as Postfix's transport and TLS policy maps are:
 * the domain itself ({@code example.com}), then each parent written with a leading dot
 * ({@code .example.com} matches every subdomain), then the default ({@code *}). Keys are
 * case-insensitive; a trailing dot is ignored.
 */
public final class DomainTable<T> {
    public static final String DEFAULT_KEY = "*";
    private static final String DOMAIN = "[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*";

    private final Map<String, T> entries;

    private DomainTable(Map<String, T> entries) {
        this.entries = entries;
    }

    public static <T> DomainTable<T> empty() {
        return new DomainTable<>(Map.of());
    }

    /** @throws IllegalArgumentException naming a key that is not a domain, {@code .domain} or {@code *}, or one given twice */
    public static <T> DomainTable<T> of(Map<String, T> table) {
        Map<String, T> normalised = new LinkedHashMap<>();
        for (Map.Entry<String, T> entry : table.entrySet()) {
            String key = normalise(entry.getKey());
            String domain = key.startsWith(".") ? key.substring(1) : key;
            if (!key.equals(DEFAULT_KEY) && !domain.matches(DOMAIN)) {
                throw new IllegalArgumentException("'" + entry.getKey() + "' is not a domain, '.domain' or '*'");
            }
            if (normalised.put(key, entry.getValue()) != null) {
                throw new IllegalArgumentException("'" + entry.getKey() + "' is listed twice");
            }
        }
        return new DomainTable<>(Map.copyOf(normalised));
    }

    public Optional<T> find(String domain) {
        String name = normalise(domain);
        T exact = entries.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
            T parent = entries.get(name.substring(dot));
            if (parent != null) {
                return Optional.of(parent);
            }
        }
        return Optional.ofNullable(entries.get(DEFAULT_KEY));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public <R> DomainTable<R> map(Function<T, R> mapping) {
        Map<String, R> mapped = new LinkedHashMap<>();
        entries.forEach((key, value) -> mapped.put(key, mapping.apply(value)));
        return new DomainTable<>(Map.copyOf(mapped));
    }

    private static String normalise(String key) {
        String value = key.strip().toLowerCase(Locale.ROOT);
        return value.endsWith(".") && value.length() > 1 ? value.substring(0, value.length() - 1) : value;
    }
}
