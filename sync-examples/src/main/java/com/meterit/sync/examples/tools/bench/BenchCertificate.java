package com.meterit.sync.examples.tools.bench;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A key and a self-signed certificate for 127.0.0.1, made by the JDK's {@code keytool} for one
 * benchmark: the TLS server's key store, and the certificate alone as PEM for the gateway to
 * trust ({@code setTrustedCertificates(pem, TrustMode.REPLACE)}), as a host with a private CA
 * does. Nothing is turned off on the client: it checks the chain and the host name as always.
 */
final class BenchCertificate {
  final Path keyStore;
  final Path pem;
  final String password;

  private BenchCertificate(Path keyStore, Path pem, String password) {
    this.keyStore = keyStore;
    this.pem = pem;
    this.password = password;
  }

  /** Makes both files in {@code dir}, valid for two days. */
  static BenchCertificate create(Path dir) throws IOException, InterruptedException {
    String password = new BigInteger(128, new SecureRandom()).toString(36);
    Path keyStore = dir.resolve("bench-server.p12");
    Path pem = dir.resolve("bench-ca.pem");
    keytool(password, "-genkeypair", "-alias", "bench", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-keystore", keyStore.toString(), "-storetype", "PKCS12",
        "-storepass:env", "BENCH_STORE_PASSWORD");
    keytool(password, "-exportcert", "-rfc", "-alias", "bench", "-keystore", keyStore.toString(),
        "-storepass:env", "BENCH_STORE_PASSWORD", "-file", pem.toString());
    return new BenchCertificate(keyStore, pem, password);
  }

  private static void keytool(String password, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // Through the environment, not the command line, which other users can read.
    builder.environment().put("BENCH_STORE_PASSWORD", password);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool failed: " + output.strip());
    }
  }
}
