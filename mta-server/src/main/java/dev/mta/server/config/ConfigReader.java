package dev.mta.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import dev.mta.delivery.route.AddressFamily;
import dev.mta.delivery.route.RelayCredentials;
import dev.mta.delivery.route.RelayHost;
import dev.mta.delivery.route.StaticRoute;
import dev.mta.delivery.route.StaticRoutes;
import dev.mta.security.dns.DnsSettings;
import dev.mta.security.dns.DnssecMode;
import dev.mta.security.policy.DestinationPolicy;
import dev.mta.security.policy.DomainTable;
import dev.mta.security.policy.Fingerprint;
import dev.mta.security.policy.TlsLevel;
import dev.mta.security.tlsrpt.TlsRptSettings;
import java.net.InetSocketAddress;
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
        hostname = hostname.toLowerCase(Locale.ROOT);
        return new RelayConfig(hostname, Path.of(dataDirectory), nonNegativeDuration("shutdown-grace-period"), smtp(),
                queue(), delivery(hostname), sendmail(hostname), admin(), logging());
    }

    /** The sendmail command's address completion; the origin defaults to the hostname. */
    private SendmailConfig sendmail(String hostname) {
        String origin = string("sendmail.origin-domain").strip().toLowerCase(Locale.ROOT);
        if (origin.isEmpty()) {
            origin = hostname;
        } else if (!origin.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw error("sendmail.origin-domain", "not a domain name: '" + origin + "'");
        }
        Map<String, String> rewrite = new java.util.LinkedHashMap<>();
        ConfigObject table = config.getObject("sendmail.rewrite");
        for (String from : new java.util.TreeSet<>(table.keySet())) {
            String path = "sendmail.rewrite." + quoteKey(from);
            String to = string(path).strip();
            if (!to.matches("[^@\\s<>]+@[^@\\s<>]+")) {
                throw error(path, "expected the address to deliver to instead, like ops@example.org, not '" + to + "'");
            }
            if (from.isBlank() || from.matches(".*[\\s<>].*")) {
                throw error(path, "not an address or local name: '" + from + "'");
            }
            String key = from.contains("@") ? from : from + "@" + origin;
            rewrite.put(key.toLowerCase(Locale.ROOT), to);
        }
        String postdrop = string("sendmail.postdrop").strip();
        return new SendmailConfig(origin, rewrite, postdrop.isEmpty() ? Optional.empty() : Optional.of(Path.of(postdrop)));
    }

    /**
     * The admin listener. Without a token anyone who can reach it may read the metrics and health
     * of the relay, so unauthenticated it may only listen on loopback.
     */
    private static final java.util.Set<String> LOG_LEVELS = java.util.Set.of("error", "warn", "info", "debug", "trace", "off");

    /** One line per event, text or JSON, with levels overall and per logger. */
    private LoggingConfig logging() {
        String format = string("logging.format").strip().toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw error("logging.format", "'" + format + "' is neither text nor json");
        }
        String level = logLevel("logging.level");
        Map<String, String> levels = new java.util.LinkedHashMap<>();
        ConfigObject table = config.getObject("logging.levels");
        for (String logger : new java.util.TreeSet<>(table.keySet())) {
            levels.put(logger, logLevel("logging.levels." + quoteKey(logger)));
        }
        return new LoggingConfig(format.equals("json"), level, levels);
    }

    private String logLevel(String path) {
        String level = string(path).strip().toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            throw error(path, "'" + level + "' is not a level (error, warn, info, debug, trace, off)");
        }
        return level;
    }

    private AdminConfig admin() {
        String address = string("admin.address").strip();
        // An IP literal only: a host name would be looked up in DNS at every start.
        if (!address.matches("[0-9.]+|\\[?[0-9A-Fa-f:.]+\\]?")) {
            throw error("admin.address", "expected an IP address such as 127.0.0.1 or ::1, not '" + address + "'");
        }
        java.net.InetAddress ip;
        try {
            ip = java.net.InetAddress.getByName(address);
        } catch (java.net.UnknownHostException e) {
            throw error("admin.address", "expected an IP address such as 127.0.0.1 or ::1, not '" + address + "'");
        }
        int port = integer("admin.port");
        if (port < 0 || port > 65535) {
            throw error("admin.port", "must be 0..65535");
        }
        Optional<Path> tokenFile = optionalFile("admin.token-file");
        boolean enabled = bool("admin.enabled");
        if (enabled && tokenFile.isEmpty() && !ip.isLoopbackAddress()) {
            throw error("admin.address", address + " is not a loopback address: set admin.token-file so that"
                    + " requests from the network must present a token");
        }
        return new AdminConfig(enabled, ip, port, tokenFile);
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
                choice("smtp.eight-bit-without-8bitmime", SmtpConfig.EightBitPolicy.class),
                sessionLimits());
    }

    private SmtpConfig.SessionLimits sessionLimits() {
        int total = atLeastOne("smtp.max-connections");
        int perClient = atLeastOne("smtp.max-connections-per-client");
        if (perClient > total) {
            throw error("smtp.max-connections-per-client", "is larger than smtp.max-connections");
        }
        return new SmtpConfig.SessionLimits(total, perClient, atLeastOne("smtp.max-errors"),
                atLeastOne("smtp.max-auth-failures"), atLeastOne("smtp.max-junk-commands"));
    }

    private int atLeastOne(String path) {
        int value = integer(path);
        if (value < 1) {
            throw error(path, "must be at least 1");
        }
        return value;
    }

    private QueueConfig queue() {
        long minFree = bytes("queue.min-free-space");
        if (minFree < 0) {
            throw error("queue.min-free-space", "must not be negative");
        }
        long reserve = bytes("queue.reserve-space");
        if (reserve < 0) {
            throw error("queue.reserve-space", "must not be negative");
        }
        return new QueueConfig(minFree, reserve);
    }

    private DeliveryConfig delivery(String hostname) {
        List<InetSocketAddress> dnsServers = new ArrayList<>();
        for (String server : stringList("delivery.dns-servers", "[\"192.0.2.53\", \"[2001:db8::53]:5353\"]")) {
            try {
                dnsServers.add(DnsSettings.parseServer(server));
            } catch (IllegalArgumentException e) {
                throw error("delivery.dns-servers", e.getMessage());
            }
        }
        int dnsAttempts = integer("delivery.dns-attempts");
        if (dnsAttempts < 1) {
            throw error("delivery.dns-attempts", "must be at least 1");
        }
        int mtaStsPort = integer("delivery.mta-sts-port");
        if (mtaStsPort < 1 || mtaStsPort > 65535) {
            throw error("delivery.mta-sts-port", "must be 1..65535");
        }
        int port = integer("delivery.port");
        if (port < 1 || port > 65535) {
            throw error("delivery.port", "must be 1..65535");
        }
        List<AddressFamily> families = new ArrayList<>();
        for (String family : stringList("delivery.address-families", "[ipv6, ipv4]")) {
            AddressFamily parsed = switch (family.toLowerCase(Locale.ROOT)) {
                case "ipv6" -> AddressFamily.IPV6;
                case "ipv4" -> AddressFamily.IPV4;
                default -> throw error("delivery.address-families", "'" + family + "' is neither ipv6 nor ipv4");
            };
            if (families.contains(parsed)) {
                throw error("delivery.address-families", family + " is listed twice");
            }
            families.add(parsed);
        }
        if (families.isEmpty()) {
            throw error("delivery.address-families", "must name ipv6, ipv4 or both");
        }
        DeliveryConfig.Timeouts timeouts = new DeliveryConfig.Timeouts(
                positiveDuration("delivery.timeouts.connect"),
                positiveDuration("delivery.timeouts.greeting"),
                positiveDuration("delivery.timeouts.ehlo"),
                positiveDuration("delivery.timeouts.starttls"),
                positiveDuration("delivery.timeouts.mail"),
                positiveDuration("delivery.timeouts.rcpt"),
                positiveDuration("delivery.timeouts.data"),
                positiveDuration("delivery.timeouts.data-block"),
                positiveDuration("delivery.timeouts.end-of-data"));
        int perConnection = integer("delivery.max-messages-per-connection");
        if (perConnection < 1) {
            throw error("delivery.max-messages-per-connection", "must be at least 1");
        }
        int maxConnections = integer("delivery.max-connections");
        if (maxConnections < 1) {
            throw error("delivery.max-connections", "must be at least 1");
        }
        int perDestination = integer("delivery.max-connections-per-destination");
        if (perDestination < 1) {
            throw error("delivery.max-connections-per-destination", "must be at least 1");
        }
        if (perDestination > maxConnections) {
            throw error("delivery.max-connections-per-destination", "is larger than delivery.max-connections");
        }
        Duration retryFirst = positiveDuration("delivery.retry.first");
        Duration retryMax = positiveDuration("delivery.retry.max");
        if (retryMax.compareTo(retryFirst) < 0) {
            throw error("delivery.retry.max", "is shorter than delivery.retry.first");
        }
        Duration queueLifetime = positiveDuration("delivery.queue-lifetime");
        Duration noticeLifetime = positiveDuration("delivery.notice-lifetime");
        if (noticeLifetime.compareTo(queueLifetime) > 0) {
            throw error("delivery.notice-lifetime", "is longer than delivery.queue-lifetime");
        }
        Duration delayWarning = nonNegativeDuration("delivery.delay-warning");
        if (delayWarning.compareTo(queueLifetime) >= 0) {
            throw error("delivery.delay-warning", "is not shorter than delivery.queue-lifetime (0 turns warnings off)");
        }
        String postmaster = string("delivery.postmaster").strip();
        if (postmaster.isEmpty()) {
            postmaster = "postmaster@" + hostname;
        } else if (!postmaster.matches("[^@\\s<>]+@[^@\\s<>]+")) {
            throw error("delivery.postmaster", "expected an address like postmaster@example.org, not '" + postmaster + "'");
        }
        DnssecMode dnssec;
        try {
            dnssec = DnssecMode.parse(string("delivery.dnssec"));
        } catch (IllegalArgumentException e) {
            throw error("delivery.dnssec", e.getMessage());
        }
        Optional<Path> trustAnchors = optionalPath("delivery.trust-anchors");
        if (dnssec == DnssecMode.VALIDATE && trustAnchors.isEmpty()) {
            throw error("delivery.trust-anchors", "is needed with dnssec = validate");
        }
        if (dnssec == DnssecMode.TRUST_AD) {
            for (InetSocketAddress server : dnsServers) {
                if (!server.getAddress().isLoopbackAddress()) {
                    throw error("delivery.dnssec", "trust-ad believes the resolver's AD bit, which only a resolver on"
                            + " loopback can be trusted with; " + server + " is not (use validate)");
                }
            }
            if (dnsServers.isEmpty()) {
                throw error("delivery.dnssec", "trust-ad needs delivery.dns-servers naming a resolver on loopback");
            }
        }
        return new DeliveryConfig(bool("delivery.enabled"), dnsServers, positiveDuration("delivery.dns-timeout"), dnsAttempts,
                dnssec, trustAnchors, optionalFile("delivery.tls-ca-file"), bool("delivery.mta-sts"), mtaStsPort, bool("delivery.honour-tls-required-no"), port, families,
                timeouts, positiveDuration("delivery.connection-reuse-time"), perConnection, maxConnections,
                perDestination, retryFirst, retryMax, queueLifetime, noticeLifetime, delayWarning, postmaster, routes(),
                tlsPolicies(), tlsReports());
    }

    /** RFC 8460: off unless turned on, and then only with an organisation and a contact mailbox. */
    private TlsRptSettings tlsReports() {
        String prefix = "delivery.tls-reports.";
        Duration sendDelay = nonNegativeDuration(prefix + "send-delay");
        if (sendDelay.compareTo(Duration.ofHours(23)) > 0) {
            throw error(prefix + "send-delay", "must be less than a day, or reports pile up");
        }
        if (!bool(prefix + "enabled")) {
            return TlsRptSettings.disabled();
        }
        String organization = string(prefix + "organization").strip();
        if (organization.isEmpty()) {
            throw error(prefix + "organization", "is needed when TLS reports are enabled (it names the reporter)");
        }
        String contact = string(prefix + "contact").strip();
        if (!contact.matches("[^@\\s<>]+@[^@\\s<>]+")) {
            throw error(prefix + "contact", "expected the mailbox responsible for reports, like tlsrpt@example.org, not '"
                    + contact + "'");
        }
        return TlsRptSettings.of(organization, contact).withSendDelay(sendDelay);
    }

    private StaticRoutes routes() {
        ConfigObject all = config.getObject("delivery.routes");
        Map<String, StaticRoute> table = new java.util.LinkedHashMap<>();
        for (String domain : new java.util.TreeSet<>(all.keySet())) {
            String path = "delivery.routes." + quoteKey(domain);
            if (!config.hasPath(path + ".relay-host")) {
                throw error(path, "needs a relay-host, e.g. \"[smtp.example.net]:587\"");
            }
            RelayHost relayHost;
            try {
                relayHost = RelayHost.parse(string(path + ".relay-host"));
            } catch (IllegalArgumentException e) {
                throw error(path + ".relay-host", e.getMessage());
            }
            Optional<RelayCredentials> credentials = Optional.empty();
            boolean hasUser = config.hasPath(path + ".user");
            boolean hasPassword = config.hasPath(path + ".password-file");
            if (hasUser != hasPassword) {
                throw error(path + (hasUser ? ".user" : ".password-file"),
                        "AUTH to a relay host needs both user and password-file");
            }
            if (hasUser) {
                Path passwordFile = optionalFile(path + ".password-file")
                        .orElseThrow(() -> error(path + ".password-file", "must name a file"));
                String password;
                try {
                    password = Files.readString(passwordFile).strip();
                } catch (java.io.IOException e) {
                    throw error(path + ".password-file", "cannot read " + passwordFile + ": " + e.getMessage());
                }
                if (password.isEmpty()) {
                    throw error(path + ".password-file", passwordFile + " is empty");
                }
                try {
                    credentials = Optional.of(new RelayCredentials(string(path + ".user"), password));
                } catch (IllegalArgumentException e) {
                    throw error(path + ".user", e.getMessage());
                }
            }
            Optional<TlsLevel> tls = Optional.empty();
            if (config.hasPath(path + ".tls")) {
                try {
                    tls = Optional.of(TlsLevel.parse(string(path + ".tls")));
                } catch (IllegalArgumentException e) {
                    throw error(path + ".tls", e.getMessage());
                }
            } else if (credentials.isPresent()) {
                tls = Optional.of(TlsLevel.ENCRYPT);
            }
            if (credentials.isPresent() && !tls.get().requiresTls()) {
                // The password would cross the network in clear text, or to whoever strips STARTTLS.
                throw error(path + ".tls", "must require TLS (encrypt, dane-only, verify, secure or fingerprint)"
                        + " when the route has a user and password");
            }
            table.put(domain, new StaticRoute(relayHost, credentials, tls));
        }
        try {
            return StaticRoutes.of(table);
        } catch (IllegalArgumentException e) {
            throw error("delivery.routes", e.getMessage());
        }
    }

    /** {@code "example.com" = dane-only}, or {@code "bank.example" { level = secure, match = [...] }}. */
    private DomainTable<DestinationPolicy> tlsPolicies() {
        ConfigObject all = config.getObject("delivery.tls-policy");
        Map<String, DestinationPolicy> table = new java.util.LinkedHashMap<>();
        for (String domain : new java.util.TreeSet<>(all.keySet())) {
            String path = "delivery.tls-policy." + quoteKey(domain);
            boolean block = config.getValue(path).valueType() == com.typesafe.config.ConfigValueType.OBJECT;
            String levelPath = block ? path + ".level" : path;
            if (!config.hasPath(levelPath)) {
                throw error(path, "needs a level: none, may, encrypt, dane, dane-only, verify, secure or fingerprint");
            }
            TlsLevel level;
            try {
                level = TlsLevel.parse(string(levelPath));
            } catch (IllegalArgumentException e) {
                throw error(levelPath, e.getMessage());
            }
            List<String> match = block && config.hasPath(path + ".match")
                    ? stringList(path + ".match", "[\"mx.example.com\", \".example.com\"]") : List.of();
            List<Fingerprint> fingerprints = new ArrayList<>();
            if (block && config.hasPath(path + ".fingerprints")) {
                for (String text : stringList(path + ".fingerprints", "[\"sha256:AB:CD:...\"]")) {
                    try {
                        fingerprints.add(Fingerprint.parse(text));
                    } catch (IllegalArgumentException e) {
                        throw error(path + ".fingerprints", e.getMessage());
                    }
                }
            }
            try {
                table.put(domain, new DestinationPolicy(level, match, fingerprints));
            } catch (IllegalArgumentException e) {
                throw error(path, e.getMessage());
            }
        }
        try {
            return DomainTable.of(table);
        } catch (IllegalArgumentException e) {
            throw error("delivery.tls-policy", e.getMessage());
        }
    }

    private List<String> stringList(String path, String example) {
        try {
            return config.getStringList(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw error(path, "expected a list like " + example);
        }
    }

    private Duration nonNegativeDuration(String path) {
        try {
            Duration value = config.getDuration(path);
            if (value.isNegative()) {
                throw error(path, "must not be negative");
            }
            return value;
        } catch (com.typesafe.config.ConfigException.BadValue | com.typesafe.config.ConfigException.WrongType e) {
            throw error(path, "expected a duration such as 30s, 5m, 4h or 5d, not '" + rawValue(path) + "'");
        }
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
