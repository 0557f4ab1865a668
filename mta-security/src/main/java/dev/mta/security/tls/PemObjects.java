package dev.mta.security.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openssl.PEMParser;

/** Reads every PEM object of a file, turning each way of failing into a message naming it. */
final class PemObjects {

    private PemObjects() {
    }

    /**
     * @param role what the file should hold, for messages ("certificate chain", "private key")
     */
    static List<Object> read(Path file, String role) throws KeyMaterialException {
        if (Files.isDirectory(file)) {
            throw new KeyMaterialException(file, "is a directory, not a " + role + " file");
        }
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                objects.add(object);
            }
        } catch (NoSuchFileException e) {
            throw new KeyMaterialException(file, role + " file does not exist");
        } catch (AccessDeniedException e) {
            throw new KeyMaterialException(file, role + " file is not readable by this user");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new KeyMaterialException(file, "is not a PEM file (it holds non-ASCII bytes; DER or PKCS#12?)");
        } catch (IOException e) {
            throw new KeyMaterialException(file, "cannot read " + role + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Bouncy Castle reports bad base64 and bad DER inside a PEM block unchecked.
            throw new KeyMaterialException(file, "is not valid PEM: " + e.getMessage(), e);
        }
        if (objects.isEmpty()) {
            throw new KeyMaterialException(file, "holds no PEM block; expected a " + role + " in PEM form");
        }
        return objects;
    }
}
