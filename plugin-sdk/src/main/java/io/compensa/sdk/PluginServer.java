package io.compensa.sdk;

import io.compensa.protocol.HandshakeLine;
import io.compensa.protocol.HealthService;
import io.compensa.protocol.LaunchEnvironment;
import io.compensa.sdk.internal.AutoMtls;
import io.compensa.sdk.internal.BusyPollStrategy;
import io.compensa.sdk.internal.ControllerServiceHandler;
import io.compensa.sdk.internal.LingeringWorkers;
import io.compensa.sdk.internal.ListenAddress;
import io.compensa.sdk.internal.RunningHandlers;
import io.compensa.sdk.internal.StartupException;
import io.compensa.sdk.internal.StdioServiceHandler;
import io.compensa.sdk.internal.WorkerHandoff;
import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.IoHandlerFactory;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import io.grpc.netty.shaded.io.netty.util.concurrent.FastThreadLocalThread;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin's gRPC server: the compensa.v1 services plus what go-plugin expects of every plugin
 * (health service "plugin", the controller, the stdio stream, reflection).
 *
 * <p>Author callbacks run on a dedicated worker pool, never on Netty's event loop, so a slow driver
 * cannot stall the transport; the event loop itself decodes each call and hands it over ({@link
 * WorkerHandoff}). {@link #stop()} may be called from any thread, more than once.
 */
final class PluginServer {

  /** The health service name go-plugin's host checks. */
  static final String HEALTH_SERVICE = HealthService.NAME;

  private static final Logger log = LoggerFactory.getLogger(PluginServer.class);
  private static final long GRACE_MILLIS = 2000;

  /** The HTTP/2 flow-control window of each call and of the connection: gRPC's default size. */
  private static final int FLOW_CONTROL_WINDOW = 1024 * 1024;

  /** The system property that sets the (shaded) Netty's leak detection level. */
  static final String LEAK_DETECTION_PROPERTY = "io.grpc.netty.shaded.io.netty.leakDetection.level";

  private final List<BindableService> services = new ArrayList<>();
  private final HealthStatusManager health = new HealthStatusManager();
  private final StdioServiceHandler stdio = new StdioServiceHandler();
  private final ExecutorService workers =
      Executors.newCachedThreadPool(daemonThreads("compensa-worker-", WorkerThread::new));
  private final RunningHandlers runningHandlers = new RunningHandlers();
  private final List<EventLoopGroup> eventLoops = new ArrayList<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Server server;
  private volatile ListenAddress.Unix socket;
  private volatile ServerCredentials credentials = InsecureServerCredentials.create();

  /**
   * Prepares the server; {@link #start} binds it.
   *
   * @param definition the plugin's registrations
   * @param drivers the driver of each resource type, by type name
   */
  public PluginServer(PluginDefinition definition, Map<String, ResourceDriver> drivers) {
    disableLeakDetectionUnlessAsked();
    services.addAll(ContractServices.of(definition, drivers));
    services.add(health.getHealthService());
    services.add(new ControllerServiceHandler(this::stopInBackground));
    services.add(stdio);
    services.add(ProtoReflectionServiceV1.newInstance());
  }

  /**
   * Binds the server and reports it SERVING.
   *
   * @param where the socket or port range to listen on
   * @param appVersion the negotiated app protocol version, for the handshake line
   * @return the handshake line that tells the host where to connect
   * @throws StartupException when nothing could be bound
   */
  public HandshakeLine start(ListenAddress where, int appVersion) throws StartupException {
    return start(where, appVersion, AutoMtls.off());
  }

  /**
   * Binds the server with {@code tls}'s credentials and reports it SERVING.
   *
   * @param where the socket or port range to listen on
   * @param appVersion the negotiated app protocol version, for the handshake line
   * @param tls AutoMTLS, or {@link AutoMtls#off()}
   * @return the handshake line, with the plugin's certificate under AutoMTLS
   * @throws StartupException when nothing could be bound
   */
  public HandshakeLine start(ListenAddress where, int appVersion, AutoMtls tls)
      throws StartupException {
    credentials = tls.credentials();
    String address;
    String network;
    if (where instanceof ListenAddress.Unix unix) {
      server = startUnix(unix);
      socket = unix;
      network = "unix";
      address = unix.socket().toString();
    } else {
      ListenAddress.Tcp tcp = (ListenAddress.Tcp) where;
      server = startTcp(tcp);
      network = "tcp";
      address = "127.0.0.1:" + server.getPort();
    }
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(HEALTH_SERVICE, ServingStatus.SERVING);
    return new HandshakeLine(appVersion, network, address, tls.handshakeField().orElse(null));
  }

  private Server startUnix(ListenAddress.Unix unix) throws StartupException {
    EventLoopGroup loop = eventLoop();
    try {
      Files.deleteIfExists(unix.socket());
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(
                  new DomainSocketAddress(unix.socket().toString()), credentials)
              .channelType(EpollServerDomainSocketChannel.class)
              .bossEventLoopGroup(loop)
              .workerEventLoopGroup(loop)
              // Netty sets TCP keep-alive on every connection; a Unix socket has no such option and
              // would log a warning for each connection
              .withChildOption(ChannelOption.SO_KEEPALIVE, null);
      return register(builder).build().start();
    } catch (IOException | RuntimeException failure) {
      throw new StartupException(
          "cannot listen on the Unix socket "
              + unix.socket()
              + ": "
              + failure.getMessage()
              + " (check that the directory in "
              + LaunchEnvironment.UNIX_SOCKET_DIR
              + " is writable)",
          failure);
    }
  }

  private Server startTcp(ListenAddress.Tcp tcp) throws StartupException {
    InetAddress loopback;
    try {
      loopback = InetAddress.getByName("127.0.0.1");
    } catch (IOException impossible) {
      throw new StartupException("cannot resolve 127.0.0.1: " + impossible, impossible);
    }
    int count = tcp.maxPort() - tcp.minPort() + 1;
    // start at a random port so plugins launched together do not all race for the first one
    int offset = ThreadLocalRandom.current().nextInt(count);
    IOException last = null;
    // epoll where Netty has it (Linux), else NIO: TCP is also the transport of hosts elsewhere
    boolean epoll = Epoll.isAvailable();
    EventLoopGroup loop = epoll ? eventLoop() : nioEventLoop();
    for (int i = 0; i < count; i++) {
      int port = tcp.minPort() + (offset + i) % count;
      try {
        return register(
                NettyServerBuilder.forAddress(new InetSocketAddress(loopback, port), credentials)
                    .channelType(
                        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                    .bossEventLoopGroup(loop)
                    .workerEventLoopGroup(loop))
            .build()
            .start();
      } catch (IOException taken) {
        last = taken;
      }
    }
    throw new StartupException(
        "no free TCP port on 127.0.0.1 between "
            + tcp.minPort()
            + " and "
            + tcp.maxPort()
            + (last == null ? "" : " (last: " + last.getMessage() + ")")
            + ": widen "
            + LaunchEnvironment.MIN_PORT
            + "/"
            + LaunchEnvironment.MAX_PORT,
        last);
  }

  /**
   * One event loop thread accepts and serves the connections: a host opens one connection to its
   * plugin, and handlers run on the workers, so more loops would only add threads. The loop polls
   * briefly for each handler's answer instead of sleeping ({@link BusyPollStrategy}).
   */
  private EventLoopGroup eventLoop() {
    // 0 events: Netty's default, an event array that grows as needed
    return eventLoop(EpollIoHandler.newFactory(0, BusyPollStrategy.factory(runningHandlers)));
  }

  private EventLoopGroup nioEventLoop() {
    return eventLoop(
        NioIoHandler.newFactory(
            SelectorProvider.provider(), BusyPollStrategy.factory(runningHandlers)));
  }

  private EventLoopGroup eventLoop(IoHandlerFactory handlers) {
    EventLoopGroup loop =
        new MultiThreadIoEventLoopGroup(
            1, daemonThreads("compensa-io-", FastThreadLocalThread::new), handlers);
    eventLoops.add(loop);
    return loop;
  }

  private NettyServerBuilder register(NettyServerBuilder builder) {
    // the event loop decodes each call and hands only the handler to a worker (WorkerHandoff):
    // one thread hand-off per call instead of gRPC's default several, and to a worker that is
    // still awake from the call before when calls come one after another (LingeringWorkers)
    builder
        .directExecutor()
        .intercept(new WorkerHandoff(new LingeringWorkers(workers), runningHandlers));
    // a fixed window instead of gRPC's automatic one: the automatic window measures the link with a
    // PING after each burst of DATA, a round of extra frames and wake-ups on both sides per call,
    // while a driver's messages are small and the link is a local socket
    builder.flowControlWindow(FLOW_CONTROL_WINDOW);
    for (BindableService service : services) {
      builder.addService(service);
    }
    return builder;
  }

  /** Stops serving: answers in flight get a grace period, then the server and its threads end. */
  public void stop() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    try {
      health.enterTerminalState();
      stdio.completeAll();
      Server running = server;
      if (running != null) {
        running.shutdown();
        if (!running.awaitTermination(GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
          log.warn("calls still running after {} ms: cancelling them", GRACE_MILLIS);
          running.shutdownNow();
          running.awaitTermination(GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    } finally {
      workers.shutdownNow();
      for (EventLoopGroup group : eventLoops) {
        group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
      }
      deleteSocket();
      stopped.countDown();
    }
  }

  /**
   * Waits until {@link #stop()} has finished.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  private void stopInBackground() {
    Thread stopper = new Thread(this::stop, "compensa-shutdown");
    stopper.setDaemon(false);
    stopper.start();
  }

  private void deleteSocket() {
    ListenAddress.Unix unix = socket;
    if (unix != null) {
      try {
        Files.deleteIfExists(unix.socket());
        // the host's private directory, once it holds nothing more: a Compensa host removes it as
        // soon as it has connected, but a host that died before that cannot, and nothing of a
        // plugin should be left in temporary space after it (a directory still in use by other
        // files is not empty and stays)
        Files.deleteIfExists(unix.socket().getParent());
      } catch (IOException ignored) {
        // not empty, or already gone: the host removes the whole directory when the plugin is gone
      }
    }
  }

  /**
   * Daemon threads of class {@code threads} named {@code prefix} and a count from 0. Netty's own
   * thread class for the event loop and the workers: Netty keeps its per-thread state (buffer
   * caches, object pools) in a field of such a thread, where a plain thread pays a {@link
   * ThreadLocal} lookup each time, and gives a plain thread no buffer cache at all. Not Guava's
   * {@code ThreadFactoryBuilder}: its name format goes through {@code String.format}, whose first
   * use loads the JDK's locale data (~10 ms of a plugin's start).
   */
  private static ThreadFactory daemonThreads(String prefix, ThreadFactory threads) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = threads.newThread(task);
      thread.setName(prefix + count.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** A worker: Netty's fast thread-locals, and blocking allowed (drivers may block). */
  private static final class WorkerThread extends FastThreadLocalThread {
    WorkerThread(Runnable task) {
      super(task);
    }

    @Override
    public boolean permitBlockingCalls() {
      return true;
    }
  }

  /**
   * Turns off Netty's buffer leak detection, which by default records the stack of one buffer
   * allocation in 128 on every call's path: the SDK's own code never holds a Netty buffer, and
   * grpc-java's are tested upstream. Left alone when the plugin's JVM sets the level itself.
   */
  static void disableLeakDetectionUnlessAsked() {
    if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }
}
