package dev.mta.security.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who besides the relay's user could read or replace its TLS files. A private key is secret: no
 * user but the owner and a group (Debian's ssl-cert) may read it. A certificate is public, but
 * whoever can replace it or the key (a world-writable file, or a world-writable directory on
 * its path without the sticky bit, where any user may rename and create entries) can make the
 * relay present a certificate and key of their choosing. ssh's StrictModes refuses the same
 * things for its keys. On a file system without POSIX permissions there is nothing to check.
 */
final class KeyFilePermissions {
    /** S_ISVTX: in a directory with it, only an entry's owner may rename or remove it. */
    private static final int STICKY = 01000;
    private static final int OTHERS_WRITE = 0002;

    private KeyFilePermissions() {
    }

    /** Refuses a key that every user can read. */
    static void requireNotReadableByOthers(Path keyFile) throws KeyMaterialException {
        Set<PosixFilePermission> permissions = permissions(keyFile);
        if (permissions != null && permissions.contains(PosixFilePermission.OTHERS_READ)) {
            throw new KeyMaterialException(keyFile, "the private key is readable by every user ("
                    + PosixFilePermissions.toString(permissions)
                    + "); make it readable by the relay's user only: chmod 600 (or 640 for a group such as ssl-cert)");
        }
    }

    /**
     * Refuses a file that every user could replace: world-writable itself, or reached through a
     * world-writable directory without the sticky bit (checked for the path as given and, when
     * symbolic links lead elsewhere, for the real path too).
     *
     * @param what "certificate chain" or "private key", for the message
     */
    static void requireNotReplaceableByOthers(Path file, String what) throws KeyMaterialException {
        Set<PosixFilePermission> permissions = permissions(file);
        if (permissions == null) {
            return;
        }
        if (permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new KeyMaterialException(file, "the " + what + " file is writable by every user ("
                    + PosixFilePermissions.toString(permissions) + "), so anyone could replace it; chmod o-w "
                    + file.getFileName());
        }
        for (Path directory : directoriesLeadingTo(file)) {
            Integer mode = mode(directory);
            if (mode != null && (mode & OTHERS_WRITE) != 0 && (mode & STICKY) == 0) {
                throw new KeyMaterialException(file, "the " + what + " file is in " + directory
                        + ", which every user may write to (mode " + String.format("%04o", mode & 07777)
                        + ", no sticky bit), so anyone could replace the file; chmod o-w " + directory
                        + " (or chmod +t), or keep the file elsewhere");
            }
        }
    }

    /** Every directory from the root down to the file, along the path as given and the real path. */
    private static Set<Path> directoriesLeadingTo(Path file) {
        Set<Path> directories = new LinkedHashSet<>();
        addParents(file.toAbsolutePath().normalize(), directories);
        try {
            addParents(file.toRealPath(), directories);
        } catch (IOException e) {
            // Reading the file will fail and say why; the given path has been checked.
        }
        return directories;
    }

    private static void addParents(Path path, Set<Path> into) {
        for (Path parent = path.getParent(); parent != null; parent = parent.getParent()) {
            into.add(parent);
        }
    }

    /** The file's permissions (following links), or null when there are none to check. */
    private static Set<PosixFilePermission> permissions(Path file) {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return null; // not a POSIX file system
        } catch (IOException e) {
            return null; // missing or unreadable: reading the file says so with the reason
        }
    }

    /** The full st_mode (with the sticky bit, which the POSIX view leaves out), or null. */
    private static Integer mode(Path directory) {
        try {
            return (Integer) Files.getAttribute(directory, "unix:mode");
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return null; // no "unix" view on this platform, or the directory cannot be read
        }
    }
}
