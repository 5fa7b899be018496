package io.compensa.host.cli;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Initializes the gRPC and Netty classes a plugin launch needs on a thread of its own, started as
 * soon as the arguments name a command that launches plugins, so that this work overlaps picocli's
 * parsing and the reading of the configuration and state instead of following them. The command
 * {@link #await}s it before it launches: no two threads ever initialize those classes at the same
 * time (Netty has static initializers that reach each other), and a failure here only means the
 * launch initializes them itself, as it would without this. {@code -Dcompensa.warmUp=false} (in
 * COMPENSA_JAVA_OPTS) turns it off. Thread-safe.
 */
final class LaunchPathWarmUp {
  /**
   * What a launch initializes after the plugin's handshake, roots first: each pulls in the classes
   * its static initializer needs (Epoll loads Netty's native library).
   */
  private static final List<String> CLASSES =
      List.of(
          "io.grpc.netty.shaded.io.netty.channel.epoll.Epoll",
          "io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder",
          "io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup",
          "io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler",
          "io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel",
          "io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel",
          "io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator",
          "io.grpc.netty.shaded.io.netty.util.NetUtil",
          "io.grpc.netty.shaded.io.grpc.netty.NettyClientTransport",
          "io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler",
          "io.grpc.internal.ManagedChannelImplBuilder",
          "io.grpc.internal.ManagedChannelImpl",
          "io.grpc.internal.DnsNameResolverProvider");

  /** The commands that launch plugins. */
  private static final List<String> LAUNCHING =
      List.of("describe", "plan", "apply", "recover", "quickstart", "conformance");

  private static final CountDownLatch DONE = new CountDownLatch(1);
  private static volatile boolean started;

  private LaunchPathWarmUp() {}

  /** Starts the warm-up when {@code command} launches plugins; does nothing otherwise. */
  static void startFor(String command) {
    if (command == null
        || !LAUNCHING.contains(command)
        || started
        || "false".equals(System.getProperty("compensa.warmUp"))) {
      return;
    }
    started = true;
    Thread thread =
        new Thread(
            () -> {
              try {
                ClassLoader loader = LaunchPathWarmUp.class.getClassLoader();
                for (String name : CLASSES) {
                  Class.forName(name, true, loader);
                }
              } catch (ReflectiveOperationException | LinkageError absent) {
                // the launch initializes what it needs itself, and reports what is missing
              } finally {
                DONE.countDown();
              }
            },
            "compensa-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Waits for a started warm-up to end (at most 10 s: after that the launch goes on, initializing
   * the rest itself); returns at once when none was started, and when interrupted (with the
   * thread's interrupt status set again, for the launch to see).
   */
  static void await() {
    if (!started) {
      return;
    }
    try {
      DONE.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
