package io.compensa.host.launch;

import io.compensa.protocol.SelfSignedCertificate;
import io.grpc.ChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettySslContextChannelCredentials;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * The host's half of go-plugin's AutoMTLS: its own throwaway certificate for one launch, and the
 * channel credentials that present it and trust only the certificate the plugin announced.
 *
 * <p>Pinning works both ways: the plugin trusts only the host's certificate (passed in {@code
 * PLUGIN_CLIENT_CERT}), the host only the plugin's (from its handshake line). Immutable and
 * thread-safe.
 */
final class HostTls {
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
          "cannot make the host's AutoMTLS certificate: "
              + e.getMessage()
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
      // the JDK's TLS, not the bundled BoringSSL, which does not accept the P-521 signatures of
      // go-plugin's certificates
      SslContext context =
          GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
              .keyManager(stream(own.certificatePem()), stream(own.privateKeyPem()))
              .trustManager(plugin)
              .build();
      return NettySslContextChannelCredentials.create(context);
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the plugin's AutoMTLS certificate cannot be used as a trust root: " + e.getMessage(), e);
    }
  }

  private static ByteArrayInputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
  }
}
