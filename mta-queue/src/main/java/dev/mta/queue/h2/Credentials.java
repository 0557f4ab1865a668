package dev.mta.queue.h2;

import dev.mta.queue.spool.OwnerOnly;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The database user and password. H2's AUTO_SERVER mode opens a TCP port while the relay runs;
 * a password that only the relay's user can read (0600 file in a 0700 directory) keeps other
 * local users out of it, on top of the random key H2 writes into its lock file.
 */
record Credentials(String user, String password) {
    static final String USER = "MTA_QUEUE";

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=(hidden)]";
    }

    static Credentials generate(Path file) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Credentials credentials = new Credentials(USER, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        String text = "# Generated at first start; the queue database cannot be opened without it.\n"
                + "user=" + credentials.user + "\npassword=" + credentials.password + "\n";
        OwnerOnly.writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
        return credentials;
    }

    static Credentials read(Path file) throws IOException {
        if (!Files.getPosixFilePermissions(file).equals(OwnerOnly.FILE)) {
            // Someone widened it; the password may have leaked, but the data stays usable.
            Files.setPosixFilePermissions(file, OwnerOnly.FILE);
        }
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        String user = properties.getProperty("user");
        String password = properties.getProperty("password");
        if (user == null || password == null) {
            throw new IOException(file + " lacks the user or password line");
        }
        return new Credentials(user, password);
    }
}
