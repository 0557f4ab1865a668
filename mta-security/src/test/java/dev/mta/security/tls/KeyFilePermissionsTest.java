package dev.mta.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.PemFiles;
import dev.mta.testsupport.tls.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's certificate is public but must not be replaceable by other users; its key must be
 * neither readable nor replaceable by them. A file can be replaced through its own mode or
 * through a world-writable directory on its path that lacks the sticky bit.
 */
class KeyFilePermissionsTest {
    private static final TestCertificates EC = TestCertificates.ec();
    private static final CertifiedKey LEAF = EC.leaf(EC.ca("Test CA"), "mx.example.com");

    @TempDir
    Path directory;

    @Test
    void aCertificateEveryUserCanReadIsAccepted() throws Exception {
        PemFiles files = LEAF.writePem(directory);
        chmod(files.certificateChain(), "rw-r--r--");

        assertThat(PemKeyMaterial.load(files.certificateChain(), files.privateKey()).leaf()).isEqualTo(LEAF.certificate());
    }

    @Test
    void aCertificateEveryUserCanWriteIsRefusedWithAChmodHint() throws Exception {
        PemFiles files = LEAF.writePem(directory);
        chmod(files.certificateChain(), "rw-rw-rw-");

        assertThatThrownBy(() -> PemKeyMaterial.load(files.certificateChain(), files.privateKey()))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessage(files.certificateChain() + ": the certificate chain file is writable by every user (rw-rw-rw-),"
                        + " so anyone could replace it; chmod o-w " + files.certificateChain().getFileName())
                .satisfies(e -> assertThat(((KeyMaterialException) e).file()).isEqualTo(files.certificateChain()));
    }

    @Test
    void aKeyEveryUserCanWriteButNotReadIsRefused() throws Exception {
        PemFiles files = LEAF.writePem(directory);
        chmod(files.privateKey(), "rw-----w-");

        assertThatThrownBy(() -> PemKeyMaterial.load(files.certificateChain(), files.privateKey()))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageStartingWith(files.privateKey() + ": the private key file is writable by every user (rw-----w-)")
                .hasMessageContaining("chmod o-w");
    }

    @Test
    void aKeyEveryUserCanReadAndWriteIsRefusedForBeingReadableFirst() throws Exception {
        PemFiles files = LEAF.writePem(directory);
        chmod(files.privateKey(), "rw-rw-rw-");

        assertThatThrownBy(() -> PemKeyMaterial.load(files.certificateChain(), files.privateKey()))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining("readable by every user (rw-rw-rw-)")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void filesInAWorldWritableDirectoryWithoutTheStickyBitAreRefused() throws Exception {
        Path shared = Files.createDirectory(directory.resolve("shared"));
        PemFiles files = LEAF.writePem(shared);
        mode(shared, 0777);

        assertThatThrownBy(() -> PemKeyMaterial.load(files.certificateChain(), files.privateKey()))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageStartingWith(files.privateKey() + ": the private key file is in " + shared
                        + ", which every user may write to (mode 0777, no sticky bit)")
                .hasMessageContaining("chmod o-w " + shared);
    }

    @Test
    void aCertificateInAWorldWritableDirectoryIsRefusedThoughTheKeyIsSafe() throws Exception {
        Path shared = Files.createDirectory(directory.resolve("shared"));
        Path chain = Files.writeString(shared.resolve("chain.pem"), LEAF.certificateChainPem());
        Path key = LEAF.writePem(directory).privateKey();
        mode(shared, 0777);

        assertThatThrownBy(() -> PemKeyMaterial.load(chain, key))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageStartingWith(chain + ": the certificate chain file is in " + shared);
    }

    @Test
    void aWorldWritableDirectoryFurtherUpThePathCountsToo() throws Exception {
        Path shared = Files.createDirectory(directory.resolve("shared"));
        Path nested = Files.createDirectories(shared.resolve("tls"));
        PemFiles files = LEAF.writePem(nested);
        mode(shared, 0777);

        assertThatThrownBy(() -> PemKeyMaterial.load(files.certificateChain(), files.privateKey()))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining("is in " + shared + ", which every user may write to");
    }

    @Test
    void aWorldWritableDirectoryWithTheStickyBitIsAcceptedAsTmpIs() throws Exception {
        Path sticky = Files.createDirectory(directory.resolve("sticky"));
        PemFiles files = LEAF.writePem(sticky);
        mode(sticky, 01777);

        assertThat(PemKeyMaterial.load(files.certificateChain(), files.privateKey()).leaf()).isEqualTo(LEAF.certificate());
    }

    @Test
    void aSymbolicLinkIsJudgedByWhereItLeads() throws Exception {
        // As in /etc/letsencrypt/live/<name>/privkey.pem -> ../../archive/<name>/privkey1.pem
        Path shared = Files.createDirectory(directory.resolve("archive"));
        PemFiles files = LEAF.writePem(shared);
        Path live = Files.createDirectory(directory.resolve("live"));
        Path chainLink = Files.createSymbolicLink(live.resolve("fullchain.pem"), files.certificateChain());
        Path keyLink = Files.createSymbolicLink(live.resolve("privkey.pem"), files.privateKey());
        assertThat(PemKeyMaterial.load(chainLink, keyLink).leaf()).isEqualTo(LEAF.certificate());

        mode(shared, 0777);

        assertThatThrownBy(() -> PemKeyMaterial.load(chainLink, keyLink))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageStartingWith(keyLink + ": the private key file is in " + shared);
    }

    @Test
    void aSymbolicLinkInAWorldWritableDirectoryIsRefusedThoughItsTargetIsSafe() throws Exception {
        PemFiles files = LEAF.writePem(directory);
        Path shared = Files.createDirectory(directory.resolve("shared"));
        Path chainLink = Files.createSymbolicLink(shared.resolve("fullchain.pem"), files.certificateChain());
        mode(shared, 0777);

        assertThatThrownBy(() -> PemKeyMaterial.load(chainLink, files.privateKey()))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageStartingWith(chainLink + ": the certificate chain file is in " + shared);
    }

    private static void chmod(Path file, String permissions) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    }

    /** The whole mode with the sticky bit, which PosixFilePermission cannot express. */
    private static void mode(Path directory, int mode) throws IOException {
        Files.setAttribute(directory, "unix:mode", mode);
        assertThat((Integer) Files.getAttribute(directory, "unix:mode") & 07777).isEqualTo(mode);
    }
}
