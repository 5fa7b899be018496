package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.protocol.HandshakeLine;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.HealthStatusManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over a plaintext Unix socket the host names the plugin {@code localhost} in HTTP/2's {@code
 * :authority}, as go-plugin's host does, not the socket's path: HTTP/2 servers that check the
 * header (Node's nghttp2) refuse a path before gRPC sees the call. A gRPC server on a real Unix
 * socket records the authority of the host's health check.
 */
class UnixSocketAuthorityTest {
  @TempDir Path dir;

  @Test
  void theHostSendsLocalhostAsTheAuthorityOverAUnixSocket() throws Exception {
    Path socket = dir.resolve("plugin.sock");
    List<String> authorities = new CopyOnWriteArrayList<>();
    ServerInterceptor recordAuthority =
        new ServerInterceptor() {
          @Override
          public <Q, A> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
            authorities.add(call.getAuthority());
            return next.startCall(call, headers);
          }
        };
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus("plugin", io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    EventLoopGroup loop = new EpollEventLoopGroup(1);
    Server server =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(loop)
            .workerEventLoopGroup(loop)
            .addService(ServerInterceptors.intercept(health.getHealthService(), recordAuthority))
            .build()
            .start();
    HandshakeLine handshake = new HandshakeLine(1, "unix", socket.toString());
    ManagedChannel channel = PluginConnector.open(handshake, null, 4 * 1024 * 1024);
    try {
      PluginConnector.awaitServing(channel, handshake, Duration.ofSeconds(10));
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    assertThat(authorities).isNotEmpty().containsOnly("localhost");
  }
}
