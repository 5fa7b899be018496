package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.compensa.host.testing.FakePlugins;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under the Unix socket transport without AutoMTLS, a launch opens its channel while the plugin
 * starts and gives it the handshake's socket once it arrives; the health check and Describe then go
 * out together. Each failure of that path keeps the message of the channel opened after the
 * handshake. The "plugin" here prints a handshake naming a real gRPC server on a Unix socket that
 * this test runs, so that each answer can be chosen.
 */
class EarlyChannelTest {
  @TempDir Path dir;

  private final PluginLauncher launcher = new PluginLauncher();
  private final List<String> authorities = new CopyOnWriteArrayList<>();
  private EventLoopGroup loop;
  private Server server;

  @BeforeEach
  void startLoop() {
    loop = new EpollEventLoopGroup(1);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  @Test
  void aPluginWhoseHealthServiceSaysNotServingIsRefusedSayingSo() throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus(PluginConnector.HEALTH_SERVICE, ServingStatus.NOT_SERVING);
    Path socket = serve(health.getHealthService());

    PluginLaunchException failure = launchTo("1|1|unix|" + socket + "|grpc");

    assertThat(failure)
        .hasMessageContaining("is not serving: the plugin's health service reports NOT_SERVING")
        .hasMessageContaining("for \"plugin\" at unix://" + socket);
    // the early channel named the plugin localhost, as the channel opened after the handshake does
    assertThat(authorities).isNotEmpty().containsOnly("localhost");
  }

  @Test
  void aPluginWithoutAHealthServiceIsRefusedNamingTheService() throws IOException {
    Path socket = serve();

    assertThat(launchTo("1|1|unix|" + socket + "|grpc"))
        .hasMessageContaining("does not serve grpc.health.v1.Health, which every plugin must")
        .hasMessageContaining("at unix://" + socket);
  }

  @Test
  void aServingPluginThatCannotDescribeItselfIsRefusedAfterTheEarlyDescribeFails()
      throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus(PluginConnector.HEALTH_SERVICE, ServingStatus.SERVING);
    Path socket = serve(health.getHealthService());

    // the early Describe fails (UNIMPLEMENTED); the ordinary one reports it as any call's failure
    assertThat(launchTo("1|1|unix|" + socket + "|grpc"))
        .hasMessageContaining("could not describe itself")
        .hasMessageContaining("the plugin does not serve Describe")
        .hasMessageContaining("PluginService.Describe to return the plugin's manifest");
  }

  @Test
  void aTcpHandshakeUnderTheUnixTransportIsDialledOverTcpInstead() throws IOException {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }

    // the channel opened before the handshake cannot reach TCP: the launch dials a new one
    assertThat(launchTo("1|1|tcp|127.0.0.1:" + closedPort + "|grpc"))
        .hasMessageContaining("is not serving")
        .hasMessageContaining("could not reach the plugin at 127.0.0.1:" + closedPort);
  }

  @Test
  void aLaunchInterruptedWhileItsEarlyChannelWaitsForTheHandshakeSaysSoAndKillsThePlugin()
      throws Exception {
    Path plugin = FakePlugins.install("never-answers", dir);
    Path pidFile = dir.resolve("pid");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread launching =
        new Thread(
            () -> {
              try {
                launcher.launch(
                    LaunchOptions.builder(List.of(plugin.toString()))
                        .startTimeout(Duration.ofSeconds(60))
                        .environment("FAKE_PID_FILE", pidFile.toString())
                        .build());
              } catch (RuntimeException e) {
                thrown.set(e);
              }
            });
    launching.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(pidFile) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(pidFile).exists();
    launching.interrupt();
    launching.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(launching.isAlive()).isFalse();
    assertThat(thrown.get())
        .isInstanceOf(PluginLaunchException.class)
        .hasMessageContaining("launching plugin never-answers was interrupted")
        .hasMessageContaining("expected: no interruption");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
  }

  /** Serves {@code services} on a Unix socket, recording each call's authority. */
  private Path serve(BindableService... services) throws IOException {
    Path socket = dir.resolve("plugin.sock");
    ServerInterceptor recordAuthority =
        new ServerInterceptor() {
          @Override
          public <Q, A> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
            authorities.add(call.getAuthority());
            return next.startCall(call, headers);
          }
        };
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(loop)
            .workerEventLoopGroup(loop);
    for (BindableService service : services) {
      builder.addService(ServerInterceptors.intercept(service, recordAuthority));
    }
    server = builder.build().start();
    return socket;
  }

  private PluginLaunchException launchTo(String handshake) {
    Path plugin = FakePlugins.install("prints-handshake", dir);
    return catchThrowableOfType(
        PluginLaunchException.class,
        () ->
            launcher.launch(
                LaunchOptions.builder(List.of(plugin.toString()))
                    .startTimeout(Duration.ofSeconds(10))
                    .environment("FAKE_HANDSHAKE", handshake)
                    .build()));
  }
}
