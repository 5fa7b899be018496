package io.compensa.host.launch;

import io.compensa.protocol.HandshakeLine;
import io.compensa.protocol.HealthService;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Opens the channel a handshake points to and waits until the plugin's health service says SERVING.
 *
 * <p>Every plugin serves {@code grpc.health.v1.Health} with service name {@code plugin}. The plugin
 * prints its handshake once it listens, so a refused connection is retried only briefly. Stateless
 * and thread-safe.
 */
final class PluginConnector {
  /** An idle timeout above 30 days turns grpc-java's idle mode off. */
  private static final long NEVER_IDLE_DAYS = 31;

  /** The health service name go-plugin plugins report. */
  static final String HEALTH_SERVICE = HealthService.NAME;

  private static final int CONNECT_ATTEMPTS = 5;
  private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

  /** The header a call's deadline travels in. */
  private static final Metadata.Key<String> TIMEOUT_HEADER =
      Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER);

  private PluginConnector() {}

  /**
   * Opens a plaintext channel to the address of {@code handshake}; it connects lazily.
   *
   * @param maxInboundMessageBytes the largest message accepted from the plugin
   */
  static ManagedChannel open(HandshakeLine handshake, int maxInboundMessageBytes) {
    return open(handshake, InsecureChannelCredentials.create(), maxInboundMessageBytes);
  }

  /**
   * Opens a channel to the address of {@code handshake}, under AutoMTLS when the handshake carries
   * the plugin's certificate: the host presents {@code tls}'s certificate and trusts only the
   * plugin's, which names {@code localhost} whatever the address.
   *
   * @param tls the host's certificate; {@code null} only when the handshake has no certificate
   * @param maxInboundMessageBytes the largest message accepted from the plugin
   */
  static ManagedChannel open(HandshakeLine handshake, HostTls tls, int maxInboundMessageBytes) {
    if (!handshake.autoMtls()) {
      return open(handshake, maxInboundMessageBytes);
    }
    return open(handshake, tls.credentialsFor(handshake.x509Certificate()), maxInboundMessageBytes);
  }

  private static ManagedChannel open(
      HandshakeLine handshake, ChannelCredentials credentials, int maxInboundMessageBytes) {
    String target =
        handshake.network().equals("unix") ? handshake.target() : "dns:///" + handshake.address();
    ManagedChannelBuilder<?> builder =
        Grpc.newChannelBuilder(target, credentials)
            .maxInboundMessageSize(maxInboundMessageBytes)
            // Retries are off: the host sets no retry policy, and the transparent retry that is on
            // by default wraps every call in a buffering stream that takes a channel-wide lock as
            // it starts and ends (~4 of the host's ~30 µs of CPU per call, with 8 callers).
            // The only calls it would resend are ones the plugin never received because its
            // connection was going away: the plugin is then exiting or dead, and the call fails
            // with the crash instead, as every other call in flight.
            .disableRetry();
    if (handshake.autoMtls() || handshake.network().equals("unix")) {
      // under AutoMTLS the name the plugin's certificate holds; over a Unix socket the name
      // go-plugin's own host sends: left to itself gRPC would send the socket's path as the
      // :authority, which HTTP/2 servers that check it (Node's, nghttp2) refuse before any call
      builder.overrideAuthority(HostTls.AUTHORITY);
    }
    if (handshake.network().equals("unix")) {
      // the socket's name is removed once the host is connected (SocketDirectory), so the channel
      // must keep its one connection: an idle channel would drop it and could not connect again
      builder.idleTimeout(NEVER_IDLE_DAYS, TimeUnit.DAYS);
    }
    if (builder instanceof NettyChannelBuilder netty) {
      PluginEventLoop.use(netty, handshake.network().equals("unix"));
      if (handshake.network().equals("unix")) {
        // gRPC asks every socket for TCP keep-alive, which a Unix socket rejects with a warning
        netty.withOption(ChannelOption.SO_KEEPALIVE, null);
      }
      // Every call carries its deadline as grpc-timeout, whose value differs on every call. Added
      // to the HPACK table, each one evicts an older entry and lengthens the table's lookups;
      // sent literally, it does neither (with 8 callers, header encoding fell from ~14% to ~10%
      // of the transport thread's samples).
      netty.neverIndexMetadataKey(TIMEOUT_HEADER);
    }
    return builder.build();
  }

  /**
   * Returns once the plugin reports SERVING.
   *
   * @param deadline how long each health check may take
   * @throws IllegalStateException saying what the plugin answered instead
   */
  static void awaitServing(ManagedChannel channel, HandshakeLine handshake, Duration deadline)
      throws InterruptedException {
    HealthCheckRequest request = HealthCheckRequest.newBuilder().setService(HEALTH_SERVICE).build();
    StatusRuntimeException last = null;
    for (int attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
      try {
        HealthCheckResponse response =
            HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .check(request);
        if (response.getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
          return;
        }
        throw new IllegalStateException(
            "the plugin's health service reports "
                + response.getStatus()
                + " for \""
                + HEALTH_SERVICE
                + "\" at "
                + handshake.target());
      } catch (StatusRuntimeException e) {
        last = e;
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || channel.isShutdown()) {
          break;
        }
        Thread.sleep(RETRY_PAUSE.toMillis() * attempt);
      }
    }
    throw new IllegalStateException(explain(last, handshake), last);
  }

  private static String explain(StatusRuntimeException e, HandshakeLine handshake) {
    Status status = e.getStatus();
    return switch (status.getCode()) {
      case UNIMPLEMENTED ->
          "the plugin at "
              + handshake.target()
              + " does not serve grpc.health.v1.Health, which every plugin must";
      case NOT_FOUND ->
          "the plugin's health service does not know the service name \""
              + HEALTH_SERVICE
              + "\", which every plugin must report";
      case DEADLINE_EXCEEDED ->
          "the plugin's health check at " + handshake.target() + " did not answer in time";
      default ->
          "could not reach the plugin at "
              + handshake.target()
              + ": "
              + status.getCode()
              + (status.getDescription() == null ? "" : " " + status.getDescription());
    };
  }
}
