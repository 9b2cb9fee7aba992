package io.github.flinkconfluent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1, made with the JDK's {@code keytool}, for tests of TLS to
 * a private registry or broker: a PKCS12 key store (server side) and the certificate alone as PEM
 * (client trust).
 */
public record SelfSignedCertificate(Path keystore, Path certificatePem, String password) {

    /** Creates the key store and PEM file in {@code directory}. */
    public static SelfSignedCertificate create(Path directory, String password) {
        Path keystore = directory.resolve("server.p12");
        Path pem = directory.resolve("server.pem");
        Path keytool = TestServicesConfig.currentJavaHome().resolve("bin").resolve("keytool");
        try {
            Files.createDirectories(directory);
            Files.deleteIfExists(keystore);
            run(
                    List.of(
                            keytool.toString(),
                            "-genkeypair",
                            "-alias",
                            "server",
                            "-keyalg",
                            "RSA",
                            "-keysize",
                            "2048",
                            "-validity",
                            "2",
                            "-dname",
                            "CN=127.0.0.1",
                            "-ext",
                            "SAN=ip:127.0.0.1,dns:localhost",
                            "-storetype",
                            "PKCS12",
                            "-keystore",
                            keystore.toString(),
                            "-storepass",
                            password));
            run(
                    List.of(
                            keytool.toString(),
                            "-exportcert",
                            "-rfc",
                            "-alias",
                            "server",
                            "-keystore",
                            keystore.toString(),
                            "-storepass",
                            password,
                            "-file",
                            pem.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("keytool failed", e);
        }
        return new SelfSignedCertificate(keystore, pem, password);
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(
                        "keytool failed: " + new String(process.getInputStream().readAllBytes()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
