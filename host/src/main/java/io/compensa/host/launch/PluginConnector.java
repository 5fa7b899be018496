package io.compensa.host.launch;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.compensa.protocol.HandshakeLine;
import io.compensa.protocol.HealthService;
import io.grpc.ChannelCredentials;
import io.grpc.EquivalentAddressGroup;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.StatusRuntimeException;
import io.grpc.SynchronizationContext;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

  /**
   * Where every plugin channel runs the callbacks of calls that name no executor of their own (the
   * GRPCStdio stream, the launch's early Describe, futures), instead of gRPC's default executor.
   * gRPC shares its default among channels but ends it, threads and all, a second after the last
   * channel closes, so a host that launched its plugins more than a second apart started new
   * threads on every launch, and that launch waited for them (two per launch in {@code bench/run
   * suite}). These daemon threads stay for a minute of idleness; driver calls never use them.
   */
  private static final Executor CALLBACKS =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          60,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          new ThreadFactory() {
            private final AtomicInteger count = new AtomicInteger();

            @Override
            public Thread newThread(Runnable task) {
              Thread thread =
                  new Thread(task, "compensa-plugin-callbacks-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            }
          });

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
    boolean unix = handshake.network().equals("unix");
    String target = unix ? handshake.target() : "dns:///" + handshake.address();
    ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(target, credentials);
    return configure(builder, unix, handshake.autoMtls(), maxInboundMessageBytes).build();
  }

  /**
   * Opens a plaintext channel to the Unix socket a plugin has not named yet, and has it do at once
   * all it can before it knows the address (build itself, leave idle mode, set up its name
   * resolution and load balancing): the launch does this while it waits for the plugin's handshake,
   * and once the handshake names the socket, the channel only has to connect.
   *
   * @return the channel to be given its address, or {@code null} where the host's event loop cannot
   *     be used (no epoll); the launch then opens its channel after the handshake
   */
  static PendingChannel openBeforeHandshake(int maxInboundMessageBytes) {
    if (!Epoll.isAvailable()) {
      return null;
    }
    HandshakeResolver resolver = new HandshakeResolver();
    @SuppressWarnings("deprecation") // a per-channel resolver; a registered provider is global
    ManagedChannelBuilder<?> builder =
        NettyChannelBuilder.forTarget(
                HandshakeResolver.SCHEME + ":///plugin", InsecureChannelCredentials.create())
            .nameResolverFactory(resolver.factory());
    ManagedChannel channel = configure(builder, true, false, maxInboundMessageBytes).build();
    // leaves idle mode now: starts the resolver, which waits for the handshake's address
    channel.getState(true);
    return new PendingChannel(channel, resolver);
  }

  private static ManagedChannelBuilder<?> configure(
      ManagedChannelBuilder<?> builder,
      boolean unix,
      boolean autoMtls,
      int maxInboundMessageBytes) {
    builder
        .maxInboundMessageSize(maxInboundMessageBytes)
        // Retries are off: the host sets no retry policy, and the transparent retry that is on
        // by default wraps every call in a buffering stream that takes a channel-wide lock as
        // it starts and ends (~4 of the host's ~30 µs of CPU per call, with 8 callers).
        // The only calls it would resend are ones the plugin never received because its
        // connection was going away: the plugin is then exiting or dead, and the call fails
        // with the crash instead, as every other call in flight.
        .disableRetry()
        .executor(CALLBACKS);
    if (autoMtls || unix) {
      // under AutoMTLS the name the plugin's certificate holds; over a Unix socket the name
      // go-plugin's own host sends: left to itself gRPC would send the socket's path as the
      // :authority, which HTTP/2 servers that check it (Node's, nghttp2) refuse before any call
      builder.overrideAuthority(HostTls.AUTHORITY);
    }
    if (unix) {
      // the socket's name is removed once the host is connected (SocketDirectory), so the channel
      // must keep its one connection: an idle channel would drop it and could not connect again
      builder.idleTimeout(NEVER_IDLE_DAYS, TimeUnit.DAYS);
    }
    if (builder instanceof NettyChannelBuilder netty) {
      PluginEventLoop.use(netty, unix);
      if (unix) {
        // gRPC asks every socket for TCP keep-alive, which a Unix socket rejects with a warning
        netty.withOption(ChannelOption.SO_KEEPALIVE, null);
      }
      // Every call carries its deadline as grpc-timeout, whose value differs on every call. Added
      // to the HPACK table, each one evicts an older entry and lengthens the table's lookups;
      // sent literally, it does neither (with 8 callers, header encoding fell from ~14% to ~10%
      // of the transport thread's samples).
      netty.neverIndexMetadataKey(TIMEOUT_HEADER);
    }
    return builder;
  }

  /**
   * A plaintext Unix socket channel opened before the plugin's handshake ({@link
   * #openBeforeHandshake}); it connects once {@link #connect} gives it the handshake's socket.
   */
  static final class PendingChannel {
    private final ManagedChannel channel;
    private final HandshakeResolver resolver;

    private PendingChannel(ManagedChannel channel, HandshakeResolver resolver) {
      this.channel = channel;
      this.resolver = resolver;
    }

    ManagedChannel channel() {
      return channel;
    }

    /** Whether this channel can reach the plugin of {@code handshake}: plaintext, Unix socket. */
    boolean serves(HandshakeLine handshake) {
      return handshake.network().equals("unix") && !handshake.autoMtls();
    }

    /** Gives the channel the socket of {@code handshake}, which it {@link #serves}; it connects. */
    void connect(HandshakeLine handshake) {
      resolver.resolve(new DomainSocketAddress(handshake.address()));
    }
  }

  /**
   * The name resolver of a {@link PendingChannel}: resolves to nothing until it is given the one
   * address, and to that address from then on. The channel waits meanwhile; its calls wait too.
   */
  private static final class HandshakeResolver extends NameResolver {
    static final String SCHEME = "compensa-handshake";

    private SynchronizationContext context;
    // both read and written only in the channel's synchronization context
    private Listener2 listener;
    private EquivalentAddressGroup address;

    NameResolver.Factory factory() {
      return new NameResolver.Factory() {
        @Override
        public NameResolver newNameResolver(URI target, NameResolver.Args args) {
          context = args.getSynchronizationContext();
          return HandshakeResolver.this;
        }

        @Override
        public String getDefaultScheme() {
          return SCHEME;
        }
      };
    }

    void resolve(SocketAddress socket) {
      context.execute(
          () -> {
            address = new EquivalentAddressGroup(socket);
            publish();
          });
    }

    @Override
    public String getServiceAuthority() {
      return HostTls.AUTHORITY;
    }

    @Override
    public void start(Listener2 listener) {
      this.listener = listener;
      publish();
    }

    @Override
    public void refresh() {
      publish();
    }

    @Override
    public void shutdown() {
      listener = null;
    }

    private void publish() {
      if (listener != null && address != null) {
        listener.onResult2(
            ResolutionResult.newBuilder()
                .setAddressesOrError(StatusOr.fromValue(List.of(address)))
                .build());
      }
    }
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
        HealthCheckResponse response = check(channel, request, deadline);
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

  /**
   * One health check. Its answer is taken on the transport's thread, which wakes the waiting thread
   * once, when the answer is complete. A blocking stub's thread would also have to be woken to
   * start the call once the connection is ready, and then again for the answer's parts.
   */
  private static HealthCheckResponse check(
      ManagedChannel channel, HealthCheckRequest request, Duration deadline)
      throws InterruptedException {
    ListenableFuture<HealthCheckResponse> answer =
        HealthGrpc.newFutureStub(channel)
            .withExecutor(MoreExecutors.directExecutor())
            .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
            .check(request);
    try {
      // ends by the deadline at the latest
      return answer.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof StatusRuntimeException failure
          ? failure
          : Status.fromThrowable(e.getCause()).asRuntimeException();
    } catch (InterruptedException e) {
      answer.cancel(true);
      throw e;
    }
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
