package dev.mta.security.users;

import dev.mta.security.password.PasswordHasher;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The users allowed to authenticate, as kept in a file of {@code name:hash} lines, where
 * {@code #} starts a comment line and blank lines are ignored:
 *
 * <pre>
 * # submission users
 * alice@example.org:$argon2id$v=19$m=65536,t=3,p=1$...$...
 * relay-bot:$2b$12$...
 * </pre>
 *
 * Immutable: {@link #withUser} and {@link #withoutUser} return a new instance, which
 * {@link #write} saves with the comments and order of the original.
 */
public final class UsersFile {
    // ASCII only, so two names that look alike are alike; 254 is the longest address a
    // forward-path can carry (RFC 5321 4.5.3.1.3), enough for users named after addresses.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@+-]{1,254}");
    private static final PasswordHasher VERIFIER = new PasswordHasher();

    /** The file's lines: comments and blanks verbatim, users by name. */
    private sealed interface Line permits Verbatim, UserLine {
    }

    private record Verbatim(String text) implements Line {
    }

    private record UserLine(String name) implements Line {
    }

    private final List<Line> lines;
    private final Map<String, String> users;

    private UsersFile(List<Line> lines, Map<String, String> users) {
        this.lines = List.copyOf(lines);
        this.users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
    }

    public static UsersFile empty() {
        return new UsersFile(List.of(), Map.of());
    }

    /**
     * Reads and checks a users file. Every user line must have a valid name, a name no earlier
     * line has, and a hash {@link PasswordHasher} can check.
     *
     * @throws UsersFileException naming the file and line of the first problem
     */
    public static UsersFile load(Path file) throws UsersFileException {
        List<String> texts = readLines(file);
        List<Line> lines = new ArrayList<>();
        Map<String, String> users = new LinkedHashMap<>();
        Map<String, Integer> definedOn = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            int number = i + 1;
            String text = texts.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) {
                lines.add(new Verbatim(texts.get(i)));
                continue;
            }
            int colon = text.indexOf(':');
            if (colon < 0) {
                throw new UsersFileException(file, number, "expected name:hash");
            }
            String name = text.substring(0, colon);
            String hash = text.substring(colon + 1);
            Optional<String> nameProblem = nameProblem(name);
            if (nameProblem.isPresent()) {
                throw new UsersFileException(file, number, nameProblem.get());
            }
            if (definedOn.containsKey(name)) {
                throw new UsersFileException(file, number, "user '" + name + "' is already defined on line "
                        + definedOn.get(name));
            }
            Optional<String> hashProblem = PasswordHasher.syntaxProblem(hash);
            if (hashProblem.isPresent()) {
                throw new UsersFileException(file, number, "user '" + name + "': " + hashProblem.get());
            }
            definedOn.put(name, number);
            users.put(name, hash);
            lines.add(new UserLine(name));
        }
        return new UsersFile(lines, users);
    }

    /** Like {@link #load}, but a file that does not exist yet is an empty one. */
    public static UsersFile loadOrEmpty(Path file) throws UsersFileException {
        return Files.exists(file) ? load(file) : empty();
    }

    /**
     * Why a user name is refused, or empty when it is fine. Names are 1 to 254 ASCII letters,
     * digits, and {@code . _ - @ +}.
     */
    public static Optional<String> nameProblem(String name) {
        if (NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        if (name.isEmpty()) {
            return Optional.of("empty user name");
        }
        if (name.length() > 254) {
            return Optional.of("user name longer than 254 characters");
        }
        return Optional.of("user name '" + name + "' may hold only ASCII letters, digits and . _ - @ +");
    }

    /** Name to stored hash, in file order. */
    public Map<String, String> users() {
        return users;
    }

    /**
     * Whether the user exists and the password matches. For an unknown name a hash is checked
     * all the same, so the time taken does not tell an attacker which names exist.
     */
    public boolean authenticate(String name, char[] password) {
        String stored = users.get(name);
        if (stored != null) {
            return VERIFIER.verify(password, stored);
        }
        if (!users.isEmpty()) {
            // A real user's hash costs what a real check costs; its answer is thrown away.
            VERIFIER.verify(password, users.values().iterator().next());
        }
        return false;
    }

    /**
     * This file with the user added, or with its hash replaced where the user exists (keeping
     * its place in the file).
     *
     * @throws IllegalArgumentException when the name or the hash is refused; the message says why
     */
    public UsersFile withUser(String name, String hash) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hash, "hash");
        nameProblem(name).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        PasswordHasher.syntaxProblem(hash).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        Map<String, String> changed = new LinkedHashMap<>(users);
        List<Line> changedLines = new ArrayList<>(lines);
        if (changed.put(name, hash) == null) {
            changedLines.add(new UserLine(name));
        }
        return new UsersFile(changedLines, changed);
    }

    /** This file without the user; unchanged when there is no such user. */
    public UsersFile withoutUser(String name) {
        if (!users.containsKey(name)) {
            return this;
        }
        Map<String, String> changed = new LinkedHashMap<>(users);
        changed.remove(name);
        List<Line> changedLines = new ArrayList<>(lines);
        changedLines.remove(new UserLine(name));
        return new UsersFile(changedLines, changed);
    }

    /** Replaces {@code file} atomically with this content, readable by its owner only (0600). */
    public void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Line line : lines) {
            switch (line) {
                case Verbatim verbatim -> text.append(verbatim.text());
                case UserLine user -> text.append(user.name()).append(':').append(users.get(user.name()));
            }
            text.append('\n');
        }
        AtomicFileWriter.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> readLines(Path file) throws UsersFileException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsersFileException(file, 0, "users file does not exist");
        } catch (AccessDeniedException e) {
            throw new UsersFileException(file, 0, "users file is not readable by this user");
        } catch (MalformedInputException e) {
            throw new UsersFileException(file, 0, "users file is not UTF-8 text");
        } catch (IOException e) {
            throw new UsersFileException(file, 0, "cannot read users file: " + e.getMessage());
        }
    }
}
