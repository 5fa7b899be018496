package io.compensa.sdk.internal;

import io.compensa.protocol.LaunchEnvironment;
import io.compensa.protocol.SelfSignedCertificate;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettySslContextServerCredentials;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * go-plugin's AutoMTLS, plugin side: when the host passes its certificate in {@code
 * PLUGIN_CLIENT_CERT}, the plugin makes its own, serves TLS that requires a client certificate and
 * trusts only the host's, and returns its certificate in the handshake line.
 *
 * <p>Each side pins the other's certificate as its only trust root, so only the process that
 * launched the plugin can call it. Immutable and thread-safe.
 */
public final class AutoMtls {

  private final ServerCredentials credentials;
  private final String handshakeField;

  private AutoMtls(ServerCredentials credentials, String handshakeField) {
    this.credentials = credentials;
    this.handshakeField = handshakeField;
  }

  /**
   * Plaintext: the host did not ask for AutoMTLS.
   *
   * @return credentials without TLS
   */
  public static AutoMtls off() {
    return new AutoMtls(InsecureServerCredentials.create(), null);
  }

  /**
   * AutoMTLS when the environment carries the host's certificate, plaintext otherwise.
   *
   * @param env the process environment
   * @return the server's credentials and the handshake's certificate field
   * @throws StartupException when the host's certificate is unusable or no certificate can be made
   */
  public static AutoMtls fromEnvironment(Map<String, String> env) throws StartupException {
    String hostPem = env.get(LaunchEnvironment.CLIENT_CERT);
    if (hostPem == null || hostPem.isBlank()) {
      return off();
    }
    try {
      if (CertificateFactory.getInstance("X.509").generateCertificates(stream(hostPem)).isEmpty()) {
        throw new CertificateException("no certificate in it");
      }
    } catch (CertificateException failure) {
      throw new StartupException(
          LaunchEnvironment.CLIENT_CERT
              + " does not hold a PEM certificate ("
              + failure.getMessage()
              + "): the host must pass its own certificate there, or not set it at all",
          failure);
    }
    SelfSignedCertificate own;
    try {
      own = SelfSignedCertificate.generate();
    } catch (GeneralSecurityException failure) {
      throw new StartupException(
          "the host asked for AutoMTLS but this plugin cannot make its certificate: "
              + failure.getMessage(),
          failure);
    }
    try {
      // the JDK's TLS, not the bundled BoringSSL: go-plugin hosts present P-521 certificates, and
      // BoringSSL does not offer ecdsa_secp521r1_sha512 for client certificates, so a Go host
      // would send none and be refused
      SslContext context =
          GrpcSslContexts.configure(
                  SslContextBuilder.forServer(
                      stream(own.certificatePem()), stream(own.privateKeyPem())),
                  SslProvider.JDK)
              .trustManager(stream(hostPem))
              .clientAuth(ClientAuth.REQUIRE)
              .build();
      return new AutoMtls(NettySslContextServerCredentials.create(context), own.handshakeField());
    } catch (SSLException | IllegalArgumentException failure) {
      throw new StartupException(
          "the host asked for AutoMTLS but this plugin cannot set up TLS: " + failure.getMessage(),
          failure);
    }
  }

  /**
   * What the server listens with.
   *
   * @return TLS credentials under AutoMTLS, plaintext otherwise
   */
  public ServerCredentials credentials() {
    return credentials;
  }

  /**
   * The plugin's certificate for the handshake line, when AutoMTLS is on.
   *
   * @return base64 DER without padding, or empty without AutoMTLS
   */
  public Optional<String> handshakeField() {
    return Optional.ofNullable(handshakeField);
  }

  private static InputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
  }
}
