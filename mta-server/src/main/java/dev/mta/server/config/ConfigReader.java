package dev.mta.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Turns the merged HOCON tree into typed records, checking values and contradictions. */
final class ConfigReader {
    private final Config config;

    ConfigReader(Config config) {
        this.config = config;
    }

    RelayConfig relayConfig() {
        String hostname = string("hostname");
        if (hostname.isBlank()) {
            hostname = ConfigLoader.localHostName();
        } else if (!hostname.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
            throw error("hostname", "not a valid host name: '" + hostname + "'");
        }
        String dataDirectory = string("data-directory");
        if (dataDirectory.isBlank()) {
            throw error("data-directory", "must not be empty");
        }
        return new RelayConfig(hostname.toLowerCase(Locale.ROOT), Path.of(dataDirectory), smtp(), queue());
    }

    private SmtpConfig smtp() {
        Optional<Path> certificate = optionalFile("smtp.tls.certificate");
        Optional<Path> privateKey = optionalFile("smtp.tls.private-key");
        if (certificate.isPresent() != privateKey.isPresent()) {
            String missing = certificate.isPresent() ? "smtp.tls.private-key" : "smtp.tls.certificate";
            throw error(certificate.isPresent() ? "smtp.tls.certificate" : "smtp.tls.private-key",
                    "is set but " + missing + " is not: give both, or neither for a self-signed certificate");
        }
        long maxMessageSize = positiveBytes("smtp.max-message-size");
        long maxHeaderSize = positiveBytes("smtp.max-header-size");
        if (maxHeaderSize > maxMessageSize) {
            throw error("smtp.max-header-size", "is larger than smtp.max-message-size");
        }
        int maxRecipients = integer("smtp.max-recipients");
        if (maxRecipients < 1) {
            throw error("smtp.max-recipients", "must be at least 1");
        }
        Duration idle = positiveDuration("smtp.idle-timeout");
        Duration session = positiveDuration("smtp.session-timeout");
        if (session.compareTo(idle) < 0) {
            throw error("smtp.session-timeout", "is shorter than smtp.idle-timeout");
        }
        return new SmtpConfig(
                listeners(),
                certificate,
                privateKey,
                relayNetworks(),
                optionalPath("smtp.users-file"),
                maxMessageSize,
                maxRecipients,
                maxHeaderSize,
                idle,
                session,
                choice("smtp.bare-line-endings", SmtpConfig.BareLineEndings.class),
                choice("smtp.eight-bit-without-8bitmime", SmtpConfig.EightBitPolicy.class));
    }

    private QueueConfig queue() {
        long minFree = bytes("queue.min-free-space");
        if (minFree < 0) {
            throw error("queue.min-free-space", "must not be negative");
        }
        return new QueueConfig(minFree);
    }

    private List<ListenerConfig> listeners() {
        ConfigObject all = config.getObject("smtp.listeners");
        List<ListenerConfig> result = new ArrayList<>();
        Map<String, String> boundBy = new HashMap<>();
        for (String name : new java.util.TreeSet<>(all.keySet())) {
            String path = "smtp.listeners." + quoteKey(name);
            if (config.hasPath(path + ".enabled") && !bool(path + ".enabled")) {
                continue;
            }
            String address = config.hasPath(path + ".address") ? string(path + ".address") : "127.0.0.1";
            if (!config.hasPath(path + ".port")) {
                throw error(path, "needs a port");
            }
            int port = integer(path + ".port");
            if (port < 0 || port > 65535) {
                throw error(path + ".port", "must be 0..65535");
            }
            if (!config.hasPath(path + ".mode")) {
                throw error(path, "needs a mode: relay, submission or submissions");
            }
            ListenerMode mode;
            try {
                mode = ListenerMode.parse(string(path + ".mode"));
            } catch (IllegalArgumentException e) {
                throw error(path + ".mode", e.getMessage());
            }
            if (port != 0) {
                String previous = boundBy.put(address + ":" + port, name);
                if (previous != null) {
                    throw error(path + ".port", "listener '" + previous + "' already uses " + address + ":" + port);
                }
            }
            result.add(new ListenerConfig(name, address, port, mode));
        }
        if (result.isEmpty()) {
            throw error("smtp.listeners", "no listener is enabled");
        }
        return result;
    }

    private List<Cidr> relayNetworks() {
        List<Cidr> networks = new ArrayList<>();
        List<String> texts;
        try {
            texts = config.getStringList("smtp.relay-networks");
        } catch (com.typesafe.config.ConfigException e) {
            throw error("smtp.relay-networks", "expected a list like [\"127.0.0.0/8\", \"::1/128\"]");
        }
        for (String text : texts) {
            try {
                networks.add(Cidr.parse(text));
            } catch (IllegalArgumentException e) {
                throw error("smtp.relay-networks", e.getMessage());
            }
        }
        return networks;
    }

    /** A file the relay itself may create (the users file, by "mta user add"). */
    private Optional<Path> optionalPath(String path) {
        String value = string(path);
        if (value.isBlank()) {
            return Optional.empty();
        }
        Path file = Path.of(value);
        if (Files.isDirectory(file)) {
            throw error(path, value + " is a directory, not a file");
        }
        return Optional.of(file);
    }

    private Optional<Path> optionalFile(String path) {
        String value = string(path);
        if (value.isBlank()) {
            return Optional.empty();
        }
        Path file = Path.of(value);
        if (!Files.isRegularFile(file)) {
            throw error(path, "no such file: " + value);
        }
        if (!Files.isReadable(file)) {
            throw error(path, "cannot read " + value + " (permissions)");
        }
        return Optional.of(file);
    }

    private <E extends Enum<E>> E choice(String path, Class<E> type) {
        String value = string(path);
        String constant = value.toUpperCase(Locale.ROOT).replace('-', '_');
        for (E candidate : type.getEnumConstants()) {
            if (candidate.name().equals(constant)) {
                return candidate;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E candidate : type.getEnumConstants()) {
            allowed.add(candidate.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw error(path, "must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
    }

    private String string(String path) {
        try {
            return config.getString(path);
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw error(path, "expected a single value");
        }
    }

    private boolean bool(String path) {
        try {
            return config.getBoolean(path);
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw error(path, "expected true or false, not '" + rawValue(path) + "'");
        }
    }

    private int integer(String path) {
        try {
            return config.getInt(path);
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw error(path, "expected a whole number, not '" + rawValue(path) + "'");
        }
    }

    private long bytes(String path) {
        try {
            return config.getBytes(path);
        } catch (com.typesafe.config.ConfigException.BadValue | com.typesafe.config.ConfigException.WrongType e) {
            throw error(path, "expected a size such as 512K, 25M or 1G, not '" + rawValue(path) + "'");
        }
    }

    private long positiveBytes(String path) {
        long value = bytes(path);
        if (value <= 0) {
            throw error(path, "must be larger than zero");
        }
        return value;
    }

    private Duration positiveDuration(String path) {
        Duration value;
        try {
            value = config.getDuration(path);
        } catch (com.typesafe.config.ConfigException.BadValue | com.typesafe.config.ConfigException.WrongType e) {
            throw error(path, "expected a duration such as 30s, 5m, 4h or 5d, not '" + rawValue(path) + "'");
        }
        if (value.isNegative() || value.isZero()) {
            throw error(path, "must be longer than zero");
        }
        return value;
    }

    private String rawValue(String path) {
        ConfigValue value = config.getValue(path);
        Object unwrapped = value.unwrapped();
        return String.valueOf(unwrapped);
    }

    private ConfigException error(String path, String what) {
        String where = config.hasPathOrNull(path)
                ? ConfigLoader.source(config.getValue(path).origin())
                : "configuration";
        return new ConfigException(where + ": " + path + ": " + what);
    }

    private static String quoteKey(String name) {
        return name.matches("[A-Za-z0-9_-]+") ? name : "\"" + name.replace("\"", "\\\"") + "\"";
    }
}
