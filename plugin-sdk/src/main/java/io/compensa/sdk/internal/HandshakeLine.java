package io.compensa.sdk.internal;

import java.util.Objects;

/**
 * The one line a plugin prints on stdout to tell its host where to connect:
 * {@code CORE|APP|NETWORK|ADDRESS|grpc[|CERT]}.
 *
 * <p>CERT is present under AutoMTLS: the plugin's DER certificate in base64 without padding, as
 * go-plugin writes it. Immutable and thread-safe.
 *
 * @param appVersion the negotiated app protocol version
 * @param network {@code unix} or {@code tcp}
 * @param address a socket path or {@code 127.0.0.1:PORT}
 * @param certificate the plugin's certificate field under AutoMTLS, else {@code null}
 */
public record HandshakeLine(int appVersion, String network, String address, String certificate) {

  /** go-plugin's core protocol version; a host refuses any other. */
  public static final int CORE_VERSION = 1;

  /**
   * Creates the handshake line, checking and copying its fields.
   *
   * @param appVersion the negotiated app protocol version
   * @param network {@code unix} or {@code tcp}
   * @param address a socket path or {@code 127.0.0.1:PORT}
   * @param certificate the plugin's certificate field under AutoMTLS, else {@code null}
   */
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

  /**
   * Creates a handshake line without a certificate (no AutoMTLS).
   *
   * @param appVersion the negotiated app protocol version
   * @param network {@code unix} or {@code tcp}
   * @param address a socket path or {@code 127.0.0.1:PORT}
   */
  public HandshakeLine(int appVersion, String network, String address) {
    this(appVersion, network, address, null);
  }

  /**
   * Returns the line, without a line terminator.
   *
   * @return for example {@code 1|1|unix|/tmp/plugin123/compensa.sock|grpc}
   */
  public String format() {
    return CORE_VERSION + "|" + appVersion + "|" + network + "|" + address + "|grpc"
        + (certificate == null ? "" : "|" + certificate);
  }
}
