package dev.pooltasks.cli;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * The certificates of a {@code --ca-cert} PEM file (CAs, or a server's own self-signed one), as the only ones trusted
 * for {@code https://}, as curl's {@code --cacert} does.
 */
final class TrustedCertificates {
    private TrustedCertificates() {
    }

    /**
     * TLS that trusts exactly the certificates in {@code pemFile}.
     *
     * @throws IllegalArgumentException naming the file, when it cannot be read or holds no certificate
     */
    static SSLContext sslContext(Path pemFile) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("--ca-cert " + pemFile + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("--ca-cert " + pemFile + " is not a PEM file of certificates");
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("--ca-cert " + pemFile + " holds no certificate");
        }
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the JVM cannot set up TLS", e);
        }
    }
}
