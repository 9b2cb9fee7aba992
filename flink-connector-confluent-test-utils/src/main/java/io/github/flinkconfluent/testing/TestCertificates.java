package io.github.flinkconfluent.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A private certificate authority and the certificates that TLS tests need, made in this JVM with
 * {@code java.security}: a server certificate for {@code 127.0.0.1} and {@code localhost} (in the
 * subject alternative names, so clients keep hostname verification on), a client certificate for
 * mutual TLS, and a trust store holding only the CA.
 *
 * <p>Clients that trust the JVM's default CAs do not trust these certificates, exactly as with a
 * private CA in production; that is what an "untrusted certificate" test relies on. All stores are
 * PKCS12 with one password.
 */
public final class TestCertificates {

    private static final String SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final String password;
    private final String caName;
    private final X509Certificate caCertificate;
    private final PrivateKey caKey;

    private TestCertificates(
            Path directory,
            String password,
            String caName,
            X509Certificate caCertificate,
            PrivateKey caKey) {
        this.directory = directory;
        this.password = password;
        this.caName = caName;
        this.caCertificate = caCertificate;
        this.caKey = caKey;
    }

    /**
     * A new CA with a server certificate ({@code server.p12}), a client certificate ({@code
     * client.p12}), the trust store ({@code truststore.p12}) and the CA certificate as PEM ({@code
     * ca.pem}), all in {@code directory}.
     */
    public static TestCertificates create(Path directory, String password) {
        try {
            Files.createDirectories(directory);
            KeyPair ca = newKeyPair();
            String caName = "flink-confluent test CA " + Long.toHexString(RANDOM.nextLong());
            X509Certificate caCertificate =
                    sign(
                            caName,
                            caName,
                            ca,
                            ca.getPrivate(),
                            Der.sequence(
                                    extension(
                                            BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))),
                                    // keyCertSign and cRLSign: bits 5 and 6.
                                    extension(
                                            KEY_USAGE, true, Der.bitString(new byte[] {0x06}, 1))));
            TestCertificates certificates =
                    new TestCertificates(
                            directory, password, caName, caCertificate, ca.getPrivate());
            certificates.writeTrustStore();
            Files.writeString(certificates.caPem(), pem(caCertificate), StandardCharsets.US_ASCII);
            certificates.issue(
                    "127.0.0.1", List.of("127.0.0.1", "localhost"), certificates.serverKeystore());
            certificates.issue("flink-client", List.of(), certificates.clientKeystore());
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write test certificates to " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not make test certificates", e);
        }
    }

    /** The password of every store. */
    public String password() {
        return password;
    }

    /** PKCS12 trust store with the CA certificate alone. */
    public Path truststore() {
        return directory.resolve("truststore.p12");
    }

    /** The CA certificate, PEM encoded (a trust store of type PEM). */
    public Path caPem() {
        return directory.resolve("ca.pem");
    }

    /** PKCS12 key store: key and chain of the server certificate for 127.0.0.1 and localhost. */
    public Path serverKeystore() {
        return directory.resolve("server.p12");
    }

    /** PKCS12 key store: key and chain of the client certificate {@code CN=flink-client}. */
    public Path clientKeystore() {
        return directory.resolve("client.p12");
    }

    /**
     * Issues a certificate signed by this CA for {@code commonName}, valid for server and client
     * authentication, with {@code subjectAltNames} (IP addresses or DNS names), and writes key and
     * chain as a PKCS12 key store to {@code keystore}.
     */
    public Path issue(String commonName, List<String> subjectAltNames, Path keystore) {
        try {
            KeyPair pair = newKeyPair();
            List<byte[]> extensions = new ArrayList<>();
            extensions.add(extension(BASIC_CONSTRAINTS, true, Der.sequence()));
            // digitalSignature and keyEncipherment: bits 0 and 2.
            extensions.add(extension(KEY_USAGE, true, Der.bitString(new byte[] {(byte) 0xA0}, 5)));
            extensions.add(
                    extension(
                            EXTENDED_KEY_USAGE,
                            false,
                            Der.sequence(Der.oid(SERVER_AUTH), Der.oid(CLIENT_AUTH))));
            if (!subjectAltNames.isEmpty()) {
                List<byte[]> names = new ArrayList<>();
                for (String name : subjectAltNames) {
                    names.add(
                            Character.isDigit(name.charAt(0))
                                    ? Der.implicitPrimitive(
                                            7, InetAddress.getByName(name).getAddress())
                                    : Der.implicitPrimitive(
                                            2, name.getBytes(StandardCharsets.US_ASCII)));
                }
                extensions.add(
                        extension(
                                SUBJECT_ALT_NAME,
                                false,
                                Der.sequence(names.toArray(byte[][]::new))));
            }
            X509Certificate certificate =
                    sign(
                            commonName,
                            caName,
                            pair,
                            caKey,
                            Der.sequence(extensions.toArray(byte[][]::new)));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(
                    "key",
                    pair.getPrivate(),
                    password.toCharArray(),
                    new Certificate[] {certificate, caCertificate});
            try (OutputStream out = Files.newOutputStream(keystore)) {
                store.store(out, password.toCharArray());
            }
            return keystore;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + keystore, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not issue a certificate for " + commonName, e);
        }
    }

    private void writeTrustStore() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", caCertificate);
        try (OutputStream out = Files.newOutputStream(truststore())) {
            store.store(out, password.toCharArray());
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /**
     * An X.509 v3 certificate for {@code subject}'s key, issued by the CA named {@code issuer}
     * (both names are a single common name) and signed with {@code issuerKey}.
     */
    private static X509Certificate sign(
            String subject,
            String issuer,
            KeyPair subjectKeys,
            PrivateKey issuerKey,
            byte[] extensions)
            throws GeneralSecurityException {
        byte[] algorithm = Der.sequence(Der.oid(SHA256_WITH_RSA), Der.nullValue());
        ZonedDateTime now = ZonedDateTime.now();
        byte[] tbs =
                Der.sequence(
                        Der.explicit(0, Der.integer(BigInteger.valueOf(2))),
                        Der.integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)),
                        algorithm,
                        name(issuer),
                        Der.sequence(Der.utcTime(now.minusHours(1)), Der.utcTime(now.plusDays(7))),
                        name(subject),
                        subjectKeys.getPublic().getEncoded(),
                        Der.explicit(3, extensions));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(issuerKey);
        signature.update(tbs);
        byte[] certificate = Der.sequence(tbs, algorithm, Der.bitString(signature.sign()));
        return (X509Certificate)
                CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(certificate));
    }

    private static byte[] name(String commonName) {
        return Der.sequence(
                Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(commonName))));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    private static String pem(X509Certificate certificate) throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
