package io.compensa.host.launch;

import io.compensa.protocol.PollWhileBusy;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.SelectStrategy;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.util.IntSupplier;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one event loop thread that carries the host's calls to its plugins, and keeps itself awake
 * while an answer is on its way.
 *
 * <p>gRPC's own event loops sleep in {@code epoll_wait} whenever they have nothing to do: each call
 * then wakes the loop twice, once through an eventfd for the caller's request and once through the
 * socket for the plugin's answer, at ~20 µs each on a virtual machine, where the sleeping CPU is
 * halted. This loop instead polls its sockets without blocking, yielding the CPU between polls,
 * while a call it carries started less than {@link #POLL_NANOS} ago and has not ended, and for
 * {@link #NEXT_CALL_NANOS} after one ends (a host that calls one driver after another makes its
 * next call within that time). A call that takes longer, a driver calling a cloud API, costs at
 * most that long a poll, after which the loop sleeps as before.
 *
 * <p>One daemon thread for every plugin of the host, started with the first channel and kept for
 * the JVM's life (asleep when no call is near): it spends ~15 µs of CPU per call, so it carries
 * tens of thousands of calls a second, more than a host's drivers make. Without Linux's epoll the
 * channels keep gRPC's own event loops. Thread-safe.
 */
final class PluginEventLoop {
  /** How long after a call starts the loop polls for its answer. */
  static final long POLL_NANOS = 200_000;

  /** How long after a call ends the loop polls for the next. */
  static final long NEXT_CALL_NANOS = 50_000;

  /** The system property that sets the (shaded) Netty's leak detection level. */
  static final String LEAK_DETECTION_PROPERTY = "io.grpc.netty.shaded.io.netty.leakDetection.level";

  private static final CallsInFlight CALLS = new CallsInFlight(POLL_NANOS, NEXT_CALL_NANOS);
  private static volatile EventLoopGroup group;

  private PluginEventLoop() {}

  /**
   * Has {@code builder}'s channel use the loop and count its calls, when epoll is available.
   *
   * @param unix whether the channel's address is a Unix socket
   */
  static void use(NettyChannelBuilder builder, boolean unix) {
    disableLeakDetectionUnlessAsked();
    if (!Epoll.isAvailable()) {
      return;
    }
    builder
        .eventLoopGroup(group())
        .channelType(unix ? EpollDomainSocketChannel.class : EpollSocketChannel.class)
        .intercept(CALLS);
  }

  /**
   * Turns the (shaded) Netty's buffer leak detection off unless the JVM sets {@value
   * #LEAK_DETECTION_PROPERTY}, as the plugin SDK does in plugins. Its default level records a stack
   * trace for one buffer in 128; at 8 callers that showed in the host's profile (Throwable stack
   * traces from ResourceLeakDetector, ~1% of its CPU, besides the tracking itself). Set the
   * property, e.g. to {@code simple}, to look for a leak.
   */
  static void disableLeakDetectionUnlessAsked() {
    if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }

  private static EventLoopGroup group() {
    EventLoopGroup current = group;
    if (current == null) {
      synchronized (PluginEventLoop.class) {
        current = group;
        if (current == null) {
          current =
              new MultiThreadIoEventLoopGroup(
                  1,
                  task -> {
                    Thread thread = new Thread(task, "compensa-host-io");
                    thread.setDaemon(true);
                    return thread;
                  },
                  EpollIoHandler.newFactory(0, () -> new PollWhileAnswering(CALLS)));
          group = current;
        }
      }
    }
    return current;
  }

  /**
   * Polls instead of sleeping while {@link CallsInFlight} says an answer or a call is near: the
   * protocol module's {@link PollWhileBusy}, which the SDK's event loop uses too.
   */
  static final class PollWhileAnswering implements SelectStrategy {
    private final PollWhileBusy strategy;

    PollWhileAnswering(CallsInFlight calls) {
      this.strategy = new PollWhileBusy(() -> calls.answerOrCallNear(System.nanoTime()));
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
      return strategy.calculateStrategy(selectNow, hasTasks);
    }
  }

  /** Counts the calls in flight on the loop's channels, and when one last started and ended. */
  static final class CallsInFlight implements ClientInterceptor {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final long pollNanos;
    private final long nextCallNanos;
    private volatile long lastStartNanos;
    private volatile long lastEndNanos = System.nanoTime() - Long.MAX_VALUE / 2;

    /**
     * @param pollNanos how long after a call starts an answer counts as near
     * @param nextCallNanos how long after a call ends the next counts as near
     */
    CallsInFlight(long pollNanos, long nextCallNanos) {
      this.pollNanos = pollNanos;
      this.nextCallNanos = nextCallNanos;
    }

    /** Whether, at {@code now}, a call's answer or the next call is probably on its way. */
    boolean answerOrCallNear(long now) {
      return (inFlight.get() > 0 && now - lastStartNanos < pollNanos)
          || now - lastEndNanos < nextCallNanos;
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<RespT> listener, Metadata headers) {
          lastStartNanos = System.nanoTime();
          inFlight.incrementAndGet();
          try {
            super.start(
                new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                  @Override
                  public void onClose(Status status, Metadata trailers) {
                    lastEndNanos = System.nanoTime();
                    inFlight.decrementAndGet();
                    super.onClose(status, trailers);
                  }
                },
                headers);
          } catch (RuntimeException | Error e) {
            lastEndNanos = System.nanoTime();
            inFlight.decrementAndGet();
            throw e;
          }
        }
      };
    }
  }
}
