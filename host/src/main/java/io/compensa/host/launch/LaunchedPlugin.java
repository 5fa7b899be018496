package io.compensa.host.launch;

import io.compensa.host.client.PluginClient;
import io.compensa.host.client.PluginCrash;
import io.compensa.proto.goplugin.Empty;
import io.compensa.proto.goplugin.GRPCControllerGrpc;
import io.compensa.proto.v1.Manifest;
import io.compensa.protocol.HandshakeLine;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plugin the host launched, shook hands with and validated: its manifest, a client, and its stop.
 *
 * <p>{@link #close()} asks the plugin to shut down ({@code GRPCController/Shutdown}), waits the
 * grace period, then kills the process and every process it started, and removes its socket
 * directory. If the plugin dies on its own, calls fail at once with a {@link
 * io.compensa.host.client.PluginCrashedException}.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class LaunchedPlugin implements RunningPlugin {
  /** How a {@link #stop()} ended. */
  public enum Stop {
    /**
     * The plugin exited by itself within the grace period after {@code GRPCController/Shutdown}.
     */
    EXITED_WHEN_ASKED,
    /** The plugin was still running when the grace period ended, and was killed. */
    KILLED_AFTER_GRACE_PERIOD,
    /** The plugin had already been stopped, or had died, before this stop. */
    ALREADY_STOPPED
  }

  private static final Duration SHUTDOWN_CALL_DEADLINE = Duration.ofSeconds(1);

  private final String name;
  private final HandshakeLine handshake;
  private final Manifest manifest;
  private final PluginProcess process;
  private final ManagedChannel channel;
  private final PluginClient client;
  private final Duration gracePeriod;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Logger log;

  LaunchedPlugin(
      String name,
      HandshakeLine handshake,
      Manifest manifest,
      PluginProcess process,
      ManagedChannel channel,
      PluginClient client,
      Duration gracePeriod) {
    this.name = name;
    this.handshake = handshake;
    this.manifest = manifest;
    this.process = process;
    this.channel = channel;
    this.client = client;
    this.gracePeriod = gracePeriod;
    this.log = LoggerFactory.getLogger("plugin." + name);
  }

  /** The name the host knows the plugin by (from the options, or the executable's file name). */
  @Override
  public String name() {
    return name;
  }

  /** The handshake the plugin answered with. */
  @Override
  public HandshakeLine handshake() {
    return handshake;
  }

  /** The plugin's validated manifest. */
  @Override
  public Manifest manifest() {
    return manifest;
  }

  /** The client for calls to the plugin. */
  @Override
  public PluginClient client() {
    return client;
  }

  /**
   * The gRPC channel to the plugin, for services the host does not wrap in {@link #client()}
   * (server reflection, for {@code compensa conformance}). Closed with the plugin; do not shut it
   * down.
   */
  public io.grpc.Channel channel() {
    return channel;
  }

  /** The process id of the plugin process. */
  public long pid() {
    return process.pid();
  }

  /** Whether the plugin process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The crash, if the plugin died without the host closing it. */
  public Optional<PluginCrash> crash() {
    return process.crash(Duration.ZERO);
  }

  /**
   * Asks the plugin's health service again whether it is SERVING.
   *
   * @throws IllegalStateException saying what the plugin answered instead
   */
  public void checkHealth() {
    try {
      PluginConnector.awaitServing(channel, handshake, LaunchAttempt.MIN_HEALTH_DEADLINE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking the plugin's health", e);
    }
  }

  /** Stops the plugin gracefully, then by force, with everything it started. Idempotent. */
  @Override
  public void close() {
    stop();
  }

  /**
   * Stops the plugin like {@link #close()} and says how it went: whether the plugin exited by
   * itself after {@code GRPCController/Shutdown} within the grace period, or had to be killed.
   */
  public Stop stop() {
    if (!closed.compareAndSet(false, true)) {
      return Stop.ALREADY_STOPPED;
    }
    boolean wasAlive = process.isAlive();
    process.beginStop();
    if (wasAlive) {
      try {
        GRPCControllerGrpc.newBlockingStub(channel)
            .withDeadlineAfter(SHUTDOWN_CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
            .shutdown(Empty.getDefaultInstance());
      } catch (StatusRuntimeException e) {
        // a plugin often drops the connection as it exits instead of answering
        log.debug("GRPCController/Shutdown of plugin {} ended with {}", name, e.getStatus());
      }
    }
    channel.shutdown();
    boolean exited = process.stop(gracePeriod);
    channel.shutdownNow();
    if (!wasAlive) {
      return Stop.ALREADY_STOPPED;
    }
    return exited ? Stop.EXITED_WHEN_ASKED : Stop.KILLED_AFTER_GRACE_PERIOD;
  }

  @Override
  public String toString() {
    return "LaunchedPlugin{" + name + ", pid " + process.pid() + ", " + handshake.target() + "}";
  }
}
