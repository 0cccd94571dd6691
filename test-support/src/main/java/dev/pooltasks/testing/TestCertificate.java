package dev.pooltasks.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code 127.0.0.1}, made by the JDK's keytool and written as the PEM certificate and
 * key files the README's TLS section gives Quarkus ({@code quarkus.tls.<name>.key-store.pem.0.cert} and {@code .key})
 * and the command line's {@code --ca-cert} reads, with an {@link SSLContext} that trusts it and nothing else.
 */
public final class TestCertificate {
    private static final String ALIAS = "pooltasks-test";

    private final Path certificate;
    private final Path privateKey;
    private final KeyStore trusted;

    private TestCertificate(Path certificate, Path privateKey, KeyStore trusted) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.trusted = trusted;
    }

    /** The certificate, PEM. */
    public Path certificate() {
        return certificate;
    }

    /** Its private key, PKCS#8 PEM. */
    public Path privateKey() {
        return privateKey;
    }

    /** A new key pair and certificate, valid for two days, in a new temporary directory. */
    public static TestCertificate create() {
        try {
            Path directory = Files.createTempDirectory("pooltasks-test-tls");
            Path keyStoreFile = directory.resolve("keystore.p12");
            String password = Long.toHexString(new SecureRandom().nextLong());   // the key store is deleted at once
            keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keyStoreFile.toString(),
                    "-storepass", password, "-keypass", password);
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStoreFile)) {
                keyStore.load(in, password.toCharArray());
            }
            Certificate certificate = keyStore.getCertificate(ALIAS);
            Key key = keyStore.getKey(ALIAS, password.toCharArray());
            Path certificateFile = directory.resolve("cert.pem");
            Path keyFile = directory.resolve("key.pem");
            Files.writeString(certificateFile, pem("CERTIFICATE", certificate.getEncoded()));
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));   // PKCS#8
            Files.delete(keyStoreFile);

            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry(ALIAS, certificate);
            return new TestCertificate(certificateFile, keyFile, trusted);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A trust manager that trusts this certificate only. */
    public X509TrustManager trustManager() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            return (X509TrustManager) trust.getTrustManagers()[0];
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** TLS that trusts this certificate only. */
    public SSLContext trustingIt() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void keytool(String... arguments) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
