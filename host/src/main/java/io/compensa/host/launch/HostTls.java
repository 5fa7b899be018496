package io.compensa.host.launch;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * The host's half of go-plugin's AutoMTLS: its own throwaway certificate for one launch, and the
 * channel credentials that present it and trust only the certificate the plugin announced.
 *
 * <p>Pinning works both ways: the plugin trusts only the host's certificate (passed in
 * {@code PLUGIN_CLIENT_CERT}), the host only the plugin's (from its handshake line). Immutable and
 * thread-safe.
 */
final class HostTls {
  /** The variable that carries the host's PEM certificate to the plugin. */
  static final String CLIENT_CERT_VARIABLE = "PLUGIN_CLIENT_CERT";

  /** The name both certificates carry; the channel checks the plugin's against it. */
  static final String AUTHORITY = "localhost";

  private final SelfSignedCertificate own;

  private HostTls(SelfSignedCertificate own) {
    this.own = own;
  }

  /** Makes the host's certificate for one launch. */
  static HostTls create() {
    try {
      return new HostTls(SelfSignedCertificate.generate());
    } catch (GeneralSecurityException e) {
      throw PluginLaunchException.before(
          "cannot make the host's AutoMTLS certificate: " + e.getMessage()
              + "; turn AutoMTLS off (LaunchOptions.autoMtls(NEVER)) if this JDK lacks EC keys",
          e);
    }
  }

  /** The host's certificate, PEM, for {@code PLUGIN_CLIENT_CERT}. */
  String certificatePem() {
    return own.certificatePem();
  }

  /** Credentials that present the host's certificate and trust only {@code plugin}'s. */
  ChannelCredentials credentialsFor(X509Certificate plugin) {
    try {
      return TlsChannelCredentials.newBuilder()
          .keyManager(stream(own.certificatePem()), stream(own.privateKeyPem()))
          .trustManager(stream(pem(plugin)))
          .build();
    } catch (IOException | CertificateEncodingException e) {
      throw new IllegalArgumentException(
          "the plugin's AutoMTLS certificate cannot be used as a trust root: " + e.getMessage(), e);
    }
  }

  private static String pem(X509Certificate certificate) throws CertificateEncodingException {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  private static ByteArrayInputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
  }
}
