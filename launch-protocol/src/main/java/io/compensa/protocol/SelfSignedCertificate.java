package io.compensa.protocol;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A throwaway AutoMTLS certificate, made the way go-plugin makes its own: ECDSA P-256, CN and DNS
 * SAN {@code localhost}, usable as a TLS client and server, self-signed and marked CA so the other
 * side can pin it as its only trust root.
 *
 * <p>The host makes one per launch and passes its PEM in {@code PLUGIN_CLIENT_CERT}; a Java SDK
 * plugin makes one when the host asks for AutoMTLS and sends its DER in the handshake's CERT field
 * ({@link #handshakeField()}). Immutable and thread-safe.
 *
 * @param certificatePem the certificate, PEM
 * @param privateKeyPem the private key, PKCS#8 PEM ({@code BEGIN PRIVATE KEY}, as gRPC wants)
 * @param der the certificate, DER
 */
public record SelfSignedCertificate(String certificatePem, String privateKeyPem, byte[] der) {
  private static final String HOST = "localhost";
  private static final Duration VALIDITY = Duration.ofDays(30 * 365);

  /**
   * Makes a fresh key pair and certificate.
   *
   * @throws GeneralSecurityException when the JDK offers no EC key pairs or ECDSA signatures
   */
  public static SelfSignedCertificate generate() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    X500Name name = new X500Name("CN=" + HOST + ",O=Compensa");
    Instant now = Instant.now();
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(128, new SecureRandom()),
              Date.from(now.minusSeconds(30)),
              Date.from(now.plus(VALIDITY)),
              name,
              pair.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(
              KeyUsage.digitalSignature
                  | KeyUsage.keyEncipherment
                  | KeyUsage.keyAgreement
                  | KeyUsage.keyCertSign));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, HOST)));
      byte[] der =
          builder
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()))
              .getEncoded();
      return new SelfSignedCertificate(
          pem("CERTIFICATE", der), pem("PRIVATE KEY", pair.getPrivate().getEncoded()), der);
    } catch (OperatorCreationException | IOException failure) {
      throw new GeneralSecurityException(
          "cannot build a self-signed certificate: " + failure, failure);
    }
  }

  /** The DER certificate in base64 without padding, as go-plugin's handshake carries it. */
  public String handshakeField() {
    return Base64.getEncoder().withoutPadding().encodeToString(der);
  }

  private static String pem(String type, byte[] content) throws CertIOException, IOException {
    StringWriter text = new StringWriter();
    try (PemWriter writer = new PemWriter(text)) {
      writer.writeObject(new PemObject(type, content));
    }
    return text.toString();
  }
}
