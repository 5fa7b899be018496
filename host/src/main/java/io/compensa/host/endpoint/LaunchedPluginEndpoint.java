package io.compensa.host.endpoint;

import io.compensa.host.client.PluginCallException;
import io.compensa.host.client.PluginCrash;
import io.compensa.host.client.PluginCrashedException;
import io.compensa.host.launch.LaunchedPlugin;
import io.compensa.proto.v1.CompensateRequest;
import io.compensa.proto.v1.CompensateResponse;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.CreateResponse;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.DeleteResponse;
import io.compensa.proto.v1.DiffRequest;
import io.compensa.proto.v1.DiffResponse;
import io.compensa.proto.v1.FinalizeApplyRequest;
import io.compensa.proto.v1.FinalizeApplyResponse;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ReadResponse;
import io.compensa.proto.v1.UpdateRequest;
import io.compensa.proto.v1.UpdateResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * A launched plugin process as the planner and the engine see it: its typed client's calls, each
 * under its deadline, with failures turned into {@link DriverCallException}s. A call that ran out
 * of time is retryable (every call is idempotent by its action id). When the process has crashed,
 * the next call relaunches it, a bounded number of times, so the engine can find out with Read what
 * the crash interrupted and compensate. Thread-safe.
 */
public final class LaunchedPluginEndpoint implements PluginEndpoint, AutoCloseable {
  private final Supplier<LaunchedPlugin> launcher;
  private final int maxRelaunches;
  private final Manifest manifest;

  /**
   * The crash of each process this endpoint replaced. Closing the crashed process (to relaunch it)
   * makes its client report calls still in flight on it as closed by the host; they are crashes.
   */
  private final Map<LaunchedPlugin, PluginCrash> crashes = new ConcurrentHashMap<>();

  private LaunchedPlugin plugin;
  private int relaunches;

  /**
   * Wraps {@code plugin}; {@code launcher} starts a replacement after a crash, at most {@code
   * maxRelaunches} times. The endpoint owns the processes and {@link #close()}s them.
   */
  public LaunchedPluginEndpoint(
      LaunchedPlugin plugin, Supplier<LaunchedPlugin> launcher, int maxRelaunches) {
    this.plugin = plugin;
    this.launcher = launcher;
    this.maxRelaunches = maxRelaunches;
    this.manifest = plugin.manifest();
  }

  @Override
  public String name() {
    return current().name();
  }

  @Override
  public Manifest manifest() {
    return manifest;
  }

  @Override
  public java.util.OptionalLong pid() {
    return java.util.OptionalLong.of(current().pid());
  }

  /** The running process (the latest one after relaunches). */
  public synchronized LaunchedPlugin current() {
    return plugin;
  }

  /** How many times the plugin was relaunched after a crash. */
  public synchronized int relaunches() {
    return relaunches;
  }

  /** The running plugin, relaunched first when it crashed. */
  private synchronized LaunchedPlugin live() throws DriverCallException {
    if (plugin.isAlive()) {
      return plugin;
    }
    Optional<PluginCrash> crashed = crashOf(plugin);
    crashed.ifPresent(c -> crashes.put(plugin, c));
    String crash = crashed.map(c -> "exit code " + c.exitCode()).orElse("it exited");
    if (relaunches >= maxRelaunches) {
      throw new DriverCallException(
          "plugin \""
              + plugin.name()
              + "\" crashed ("
              + crash
              + ") and was already relaunched "
              + relaunches
              + " times; it is not relaunched again",
          false,
          null,
          false,
          null,
          true);
    }
    relaunches++;
    LoggerFactory.getLogger(LaunchedPluginEndpoint.class)
        .warn(
            "plugin {} crashed ({}); relaunching it ({} of {})",
            plugin.name(),
            crash,
            relaunches,
            maxRelaunches);
    plugin.close();
    try {
      plugin = launcher.get();
    } catch (RuntimeException e) {
      throw new DriverCallException(
          "plugin \"" + plugin.name() + "\" crashed and could not be relaunched: " + e.getMessage(),
          false,
          null,
          false,
          e,
          true);
    }
    return plugin;
  }

  /**
   * The crash of a process that is dead, once its exit has been noticed (which follows at once).
   */
  private static Optional<PluginCrash> crashOf(LaunchedPlugin dead) {
    long until = System.nanoTime() + 1_000_000_000L;
    Optional<PluginCrash> crash = dead.crash();
    while (crash.isEmpty() && System.nanoTime() < until) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      crash = dead.crash();
    }
    return crash;
  }

  @Override
  public synchronized void close() {
    plugin.close();
  }

  @Override
  public CreateResponse create(CreateRequest request) throws DriverCallException {
    LaunchedPlugin target = live();
    return call(target, () -> target.client().create(request));
  }

  @Override
  public ReadResponse read(ReadRequest request) throws DriverCallException {
    LaunchedPlugin target = live();
    return call(target, () -> target.client().read(request));
  }

  @Override
  public UpdateResponse update(UpdateRequest request) throws DriverCallException {
    LaunchedPlugin target = live();
    return call(target, () -> target.client().update(request));
  }

  @Override
  public DeleteResponse delete(DeleteRequest request) throws DriverCallException {
    LaunchedPlugin target = live();
    return call(target, () -> target.client().delete(request));
  }

  @Override
  public DiffResponse diff(DiffRequest request) throws DriverCallException {
    LaunchedPlugin target = live();
    return call(target, () -> target.client().diff(request));
  }

  @Override
  public CompensateResponse compensate(CompensateRequest request) throws DriverCallException {
    LaunchedPlugin target = live();
    return call(target, () -> target.client().compensate(request));
  }

  @Override
  public FinalizeApplyResponse finalizeApply(FinalizeApplyRequest request)
      throws DriverCallException {
    LaunchedPlugin target = live();
    return call(target, () -> target.client().finalizeApply(request));
  }

  private <T> T call(LaunchedPlugin target, Supplier<T> call) throws DriverCallException {
    try {
      return call.get();
    } catch (PluginCrashedException e) {
      throw new DriverCallException(e.getMessage(), false, null, false, e, true);
    } catch (PluginCallException e) {
      PluginCrash crash = crashes.get(target);
      if (crash != null && e.driverError().isEmpty()) {
        // in flight when the process died, failed after another call had closed it to relaunch it
        PluginCrashedException crashed =
            new PluginCrashedException(e.pluginName(), e.call(), crash, e.status(), e);
        throw new DriverCallException(crashed.getMessage(), false, null, false, crashed, true);
      }
      throw CallFailures.translate(e);
    }
  }
}
