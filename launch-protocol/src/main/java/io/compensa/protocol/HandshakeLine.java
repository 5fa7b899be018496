package io.compensa.protocol;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The one line a plugin prints on stdout to say where it serves: {@code
 * CORE|APP|NETWORK|ADDRESS|PROTOCOL[|CERT]}. The plugin {@link #format()}s it; the host {@link
 * #parse}s it.
 *
 * <p>This is go-plugin's handshake: CORE is the launch protocol version (always 1), APP the
 * application protocol version the plugin chose from {@code PLUGIN_PROTOCOL_VERSIONS}, NETWORK
 * {@code unix} or {@code tcp}, ADDRESS a socket path or {@code host:port}, PROTOCOL {@code grpc}
 * (go-plugin's {@code netrpc} is not spoken here), CERT the plugin's DER certificate in base64
 * (standard alphabet, no padding) under AutoMTLS.
 *
 * <p>Immutable and thread-safe.
 *
 * @param appVersion the application protocol version the plugin speaks
 * @param network {@code unix} or {@code tcp}
 * @param address the socket path or {@code host:port}
 * @param certificate the CERT field under AutoMTLS (base64 DER), else {@code null}
 */
public record HandshakeLine(int appVersion, String network, String address, String certificate) {
  /** The only launch protocol version there is. */
  public static final int CORE_PROTOCOL_VERSION = 1;

  /** The format, for error messages. */
  public static final String FORMAT =
      "CORE|APP|NETWORK|ADDRESS|grpc, like 1|1|unix|/tmp/x/plugin.sock|grpc";

  /** Checks the fields: a line is only made of what it can carry. */
  public HandshakeLine {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(address, "address");
    if (!network.equals("unix") && !network.equals("tcp")) {
      throw new IllegalArgumentException("network must be unix or tcp, got " + network);
    }
    if (address.contains("|") || address.contains("\n")) {
      throw new IllegalArgumentException(
          "address " + address + " contains '|' or a line break, which the handshake cannot carry");
    }
  }

  /** A handshake without a certificate: the plugin serves plaintext. */
  public HandshakeLine(int appVersion, String network, String address) {
    this(appVersion, network, address, null);
  }

  /**
   * Returns the line, without a line terminator.
   *
   * @return for example {@code 1|1|unix|/tmp/plugin123/compensa.sock|grpc}
   */
  public String format() {
    return CORE_PROTOCOL_VERSION
        + "|"
        + appVersion
        + "|"
        + network
        + "|"
        + address
        + "|grpc"
        + (certificate == null ? "" : "|" + certificate);
  }

  /** Whether the plugin serves TLS under AutoMTLS. */
  public boolean autoMtls() {
    return certificate != null;
  }

  /** The gRPC target to dial: {@code unix:///path} or {@code host:port}. */
  public String target() {
    return network.equals("unix") ? "unix://" + address : address;
  }

  /** The plugin's AutoMTLS certificate, decoded; {@code null} without AutoMTLS. */
  public X509Certificate x509Certificate() {
    return certificate == null ? null : decode(format(), certificate);
  }

  /**
   * Parses {@code line} from a plugin the host did not ask for AutoMTLS.
   *
   * @param acceptedAppVersions the application protocol versions the host speaks
   * @throws IllegalArgumentException naming what was received and what was expected
   */
  public static HandshakeLine parse(String line, Collection<Integer> acceptedAppVersions) {
    return parse(line, acceptedAppVersions, false);
  }

  /**
   * Parses {@code line} and checks it against what the host accepts.
   *
   * @param acceptedAppVersions the application protocol versions the host speaks
   * @param autoMtls whether the host passed its certificate (PLUGIN_CLIENT_CERT): then the line
   *     must carry the plugin's certificate, else it must not
   * @throws IllegalArgumentException naming what was received and what was expected
   */
  public static HandshakeLine parse(
      String line, Collection<Integer> acceptedAppVersions, boolean autoMtls) {
    String trimmed = line.strip();
    List<String> fields = List.of(trimmed.split("\\|", -1));
    if (fields.size() < 4) {
      throw invalid(trimmed, "has " + fields.size() + " fields where at least 5 are expected");
    }
    int core = number(trimmed, fields.get(0), "CORE");
    if (core != CORE_PROTOCOL_VERSION) {
      throw new IllegalArgumentException(
          "incompatible core protocol version "
              + core
              + ", expected "
              + CORE_PROTOCOL_VERSION
              + ": the plugin was built for another version of the protocol (handshake line \""
              + trimmed
              + "\")");
    }
    int app = number(trimmed, fields.get(1), "APP");
    if (!acceptedAppVersions.contains(app)) {
      throw new IllegalArgumentException(
          "the plugin speaks application protocol version "
              + app
              + " but this host accepts only "
              + acceptedAppVersions
              + ": use a plugin built for one of those versions, or a host that accepts "
              + app
              + " (handshake line \""
              + trimmed
              + "\")");
    }
    String network = fields.get(2);
    if (!network.equals("unix") && !network.equals("tcp")) {
      throw invalid(trimmed, "names network \"" + network + "\" where unix or tcp is expected");
    }
    String address = fields.get(3);
    if (address.isEmpty()) {
      throw invalid(trimmed, "has an empty ADDRESS");
    }
    if (address.contains("\n")) {
      throw invalid(trimmed, "has a line break in its ADDRESS");
    }
    checkProtocol(trimmed, fields.size() > 4 ? fields.get(4) : "");
    String certificate = fields.size() > 5 ? fields.get(5) : "";
    if (!autoMtls && !certificate.isEmpty()) {
      throw new IllegalArgumentException(
          "the plugin sent a TLS certificate (AutoMTLS), which this host did not ask for: it"
              + " passed no PLUGIN_CLIENT_CERT, so the plugin must serve plaintext (handshake line \""
              + trimmed
              + "\")");
    }
    if (autoMtls && certificate.isEmpty()) {
      throw new IllegalArgumentException(
          "the host asked for AutoMTLS (it passed its certificate in PLUGIN_CLIENT_CERT) but the"
              + " plugin's handshake has no certificate field, so the plugin does not support"
              + " AutoMTLS: launch it with AutoMTLS off (LaunchOptions.autoMtls(NEVER), or over a"
              + " Unix socket with the default TCP_ONLY), or add AutoMTLS to the plugin"
              + " (handshake line \""
              + trimmed
              + "\")");
    }
    if (autoMtls) {
      decode(trimmed, certificate);
    }
    return new HandshakeLine(app, network, address, autoMtls ? certificate : null);
  }

  private static void checkProtocol(String line, String protocol) {
    if (protocol.equals("grpc")) {
      return;
    }
    if (protocol.isEmpty() || protocol.equals("netrpc")) {
      throw new IllegalArgumentException(
          "the plugin speaks go-plugin's netrpc protocol"
              + (protocol.isEmpty() ? " (its handshake names no protocol)" : "")
              + ", but Compensa speaks only grpc: build the plugin with"
              + " GRPCServer / AllowedProtocols grpc (handshake line \""
              + line
              + "\")");
    }
    throw invalid(line, "names protocol \"" + protocol + "\" where grpc is expected");
  }

  private static X509Certificate decode(String line, String field) {
    try {
      byte[] der = Base64.getDecoder().decode(field);
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (IllegalArgumentException | CertificateException e) {
      throw invalid(
          line,
          "has a CERT field that is not a base64 DER X.509 certificate (" + e.getMessage() + ")");
    }
  }

  private static int number(String line, String field, String name) {
    try {
      return Integer.parseInt(field.strip());
    } catch (NumberFormatException e) {
      throw invalid(line, "has " + name + " \"" + field + "\", which is not a number");
    }
  }

  private static IllegalArgumentException invalid(String line, String problem) {
    return new IllegalArgumentException(
        "malformed handshake line \"" + line + "\": it " + problem + "; expected " + FORMAT);
  }
}
