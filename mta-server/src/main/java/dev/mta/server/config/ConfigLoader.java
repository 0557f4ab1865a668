package dev.mta.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads conf/mta.conf (HOCON: {@code key = value}, {@code #} comments, durations such as
 * {@code 5m}, sizes such as {@code 25M}), applies {@code -o key=value} overrides the way Postfix's
 * {@code -o} does, and turns the result into an immutable {@link RelayConfig}. Every key and
 * default lives in the {@code mta-defaults.conf} resource; a key that is not there is an error.
 */
public final class ConfigLoader {
    private static final String DEFAULTS_RESOURCE = "/mta-defaults.conf";
    /** Blocks whose entries are named by the user (listeners, routes), with the keys each entry may have. */
    private static final Map<String, NamedBlocks> NAMED_BLOCKS = Map.of(
            "smtp.listeners", new NamedBlocks("listener", "relay { port = 25, mode = relay }",
                    Set.of("enabled", "address", "port", "mode"), false),
            "delivery.routes", new NamedBlocks("route", "\"example.com\" { relay-host = \"[smtp.example.net]:587\" }",
                    Set.of("relay-host", "user", "password-file", "tls"), false),
            "delivery.tls-policy", new NamedBlocks("policy", "\"example.com\" = dane-only",
                    Set.of("level", "match", "fingerprints"), true),
            "sendmail.rewrite", new NamedBlocks("rewrite", "\"root\" = \"ops@example.org\"", Set.of(), true),
            "logging.levels", new NamedBlocks("logger level", "\"dev.mta.delivery\" = debug", Set.of(), true));

    /**
     * @param keys          what an entry's block may hold; empty when entries are plain values
     * @param valuesAllowed whether an entry may be a plain value ({@code "name" = value})
     */
    private record NamedBlocks(String entry, String example, Set<String> keys, boolean valuesAllowed) {
    }

    private ConfigLoader() {
    }

    /** The configuration and its effective text, for {@code mta check-config}. */
    public record Loaded(RelayConfig config, Config merged) {
        /** Every effective key with its value and where that value came from. */
        public String describe() {
            Map<String, ConfigValue> leaves = new TreeMap<>();
            for (Map.Entry<String, ConfigValue> entry : merged.entrySet()) {
                leaves.put(entry.getKey(), entry.getValue());
            }
            StringBuilder out = new StringBuilder();
            ConfigRenderOptions concise = ConfigRenderOptions.concise().setJson(false);
            for (Map.Entry<String, ConfigValue> entry : leaves.entrySet()) {
                out.append(entry.getKey()).append(" = ").append(render(entry.getValue(), concise))
                        .append("    # ").append(source(entry.getValue().origin())).append('\n');
            }
            return out.toString();
        }
    }

    private static String render(ConfigValue value, ConfigRenderOptions options) {
        if (value.valueType() == ConfigValueType.STRING) {
            String text = (String) value.unwrapped();
            return text.matches("[A-Za-z0-9._/:+-]+") ? text : value.render(options);
        }
        return value.render(options);
    }

    public static Loaded load(Path file, List<String> overrides) {
        Config defaults = defaults();
        Config fromFile = parseFile(file);
        checkKnownKeys(fromFile.root(), defaults.root(), "");
        Config merged = fromFile;
        for (String override : overrides) {
            Config parsed = parseOverride(override);
            checkKnownKeys(parsed.root(), defaults.root(), "");
            merged = parsed.withFallback(merged);
        }
        merged = merged.withFallback(defaults).resolve();
        return new Loaded(new ConfigReader(merged).relayConfig(), merged);
    }

    static Config defaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULTS_RESOURCE);
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return ConfigFactory.parseReader(reader, options("built-in default"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULTS_RESOURCE, e);
        }
    }

    private static Config parseFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such configuration file");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException(file + ": cannot read the configuration file (permissions)");
        }
        try {
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(describe(e));
        }
    }

    private static Config parseOverride(String override) {
        int equals = override.indexOf('=');
        if (equals <= 0) {
            throw new ConfigException("-o " + override + ": expected key=value");
        }
        String key = override.substring(0, equals).trim();
        String value = override.substring(equals + 1).trim();
        String origin = "-o " + override;
        try {
            return ConfigFactory.parseString(key + " = " + (value.isEmpty() ? "\"\"" : value), options(origin));
        } catch (com.typesafe.config.ConfigException e) {
            // A value HOCON cannot read as written (say, a path with ':') is taken as a plain string.
            try {
                return ConfigValueFactory.fromAnyRef(value, origin).atPath(key);
            } catch (com.typesafe.config.ConfigException bad) {
                throw new ConfigException(origin + ": " + bad.getMessage());
            }
        }
    }

    private static ConfigParseOptions options(String originDescription) {
        return ConfigParseOptions.defaults()
                .setSyntax(ConfigSyntax.CONF)
                .setAllowMissing(false)
                .setOriginDescription(originDescription);
    }

    /** Every key must exist in the defaults, except listener names, which are free. */
    private static void checkKnownKeys(ConfigObject given, ConfigObject known, String prefix) {
        for (Map.Entry<String, ConfigValue> entry : given.entrySet()) {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            ConfigValue value = entry.getValue();
            NamedBlocks named = NAMED_BLOCKS.get(path);
            if (named != null) {
                checkNamedBlocks(path, named, value);
                continue;
            }
            ConfigValue expected = known.get(entry.getKey());
            if (expected == null) {
                throw new ConfigException(source(value.origin()) + ": " + path + ": unknown key");
            }
            if (expected.valueType() == ConfigValueType.OBJECT) {
                if (value.valueType() != ConfigValueType.OBJECT) {
                    throw new ConfigException(source(value.origin()) + ": " + path + ": expected a block { ... }");
                }
                checkKnownKeys((ConfigObject) value, (ConfigObject) expected, path);
            }
        }
    }

    private static void checkNamedBlocks(String blockPath, NamedBlocks named, ConfigValue block) {
        if (block.valueType() != ConfigValueType.OBJECT) {
            throw new ConfigException(source(block.origin()) + ": " + blockPath
                    + ": expected a block of named " + named.entry() + "s, e.g. " + named.example());
        }
        String allowed = String.join(", ", new java.util.TreeSet<>(named.keys()));
        for (Map.Entry<String, ConfigValue> entry : ((ConfigObject) block).entrySet()) {
            String path = blockPath + "." + entry.getKey();
            if (entry.getValue().valueType() == ConfigValueType.STRING && named.valuesAllowed()) {
                continue; // "example.com" = dane-only, "root" = "ops@example.org"
            }
            if (named.keys().isEmpty()) {
                throw new ConfigException(source(entry.getValue().origin()) + ": " + path
                        + ": expected a value, e.g. " + named.example());
            }
            if (entry.getValue().valueType() != ConfigValueType.OBJECT) {
                throw new ConfigException(source(entry.getValue().origin()) + ": " + path
                        + ": expected a block { ... } with " + allowed);
            }
            for (Map.Entry<String, ConfigValue> key : ((ConfigObject) entry.getValue()).entrySet()) {
                if (!named.keys().contains(key.getKey())) {
                    throw new ConfigException(source(key.getValue().origin()) + ": " + path + "." + key.getKey()
                            + ": unknown key (a " + named.entry() + " has " + allowed + ")");
                }
            }
        }
    }

    static String source(ConfigOrigin origin) {
        if (origin == null) {
            return "(unknown)";
        }
        String name = origin.filename() != null ? origin.filename() : origin.description();
        // Typesafe's description carries ": line" itself for non-file origins; keep just the name.
        int colon = name.lastIndexOf(": ");
        if (origin.filename() == null && colon > 0 && name.substring(colon + 2).chars().allMatch(Character::isDigit)) {
            name = name.substring(0, colon);
        }
        return origin.filename() != null && origin.lineNumber() > 0 ? name + ":" + origin.lineNumber() : name;
    }

    static String describe(com.typesafe.config.ConfigException e) {
        String where = e.origin() == null ? "" : source(e.origin()) + ": ";
        String message = e.getMessage();
        // Typesafe prefixes its own "origin: " text; strip it so the location appears once.
        if (e.origin() != null && message.startsWith(e.origin().description())) {
            message = message.substring(e.origin().description().length()).replaceFirst("^:\\s*", "");
        }
        return where + message;
    }

    static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
