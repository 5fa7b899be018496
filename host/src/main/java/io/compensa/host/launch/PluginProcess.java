package io.compensa.host.launch;

import io.compensa.host.client.CrashWatch;
import io.compensa.host.client.PluginCrash;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running plugin process with its output readers, socket directory and the processes it
 * started.
 *
 * <p>Knows whether the host asked it to stop: an exit before that is a crash. Stopping waits a
 * grace period, then kills the process and every descendant, including descendants seen earlier
 * that were re-parented when their parent exited. Thread-safe.
 */
final class PluginProcess implements CrashWatch {
  private static final Duration STDERR_SETTLE_TIME = Duration.ofSeconds(1);
  private static final Duration KILL_WAIT = Duration.ofSeconds(2);

  private final String name;
  private final Process process;
  private final StdoutReader stdout;
  private final StderrForwarder stderr;
  private final SocketDirectory socketDirectory;
  private final Set<ProcessHandle> descendants = ConcurrentHashMap.newKeySet();
  private final Logger log;
  private volatile boolean closing;

  /**
   * Set once the process has exited (after {@link Process#waitFor()} would return); read before
   * every call instead of {@link Process#waitFor(long, TimeUnit)}, which takes the process's lock.
   */
  private volatile boolean exited;

  private PluginProcess(
      String name, Process process, SocketDirectory socketDirectory, int stderrTailLines) {
    this.name = name;
    this.process = process;
    this.socketDirectory = socketDirectory;
    this.stdout = new StdoutReader(name, process.getInputStream());
    this.stderr = new StderrForwarder(name, process.getErrorStream(), stderrTailLines);
    this.log = LoggerFactory.getLogger("plugin." + name);
  }

  /**
   * Starts {@code command} with exactly {@code environment}; stdin is a pipe the host keeps open,
   * which closes only when the host dies.
   *
   * @param socketDirectory removed when the process stops; {@code null} under TCP
   */
  static PluginProcess start(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path workingDirectory,
      SocketDirectory socketDirectory,
      int stderrTailLines)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    PluginProcess plugin =
        new PluginProcess(name, builder.start(), socketDirectory, stderrTailLines);
    plugin.stderr.start();
    plugin.stdout.start();
    plugin.process.onExit().thenRun(plugin::onExit);
    return plugin;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  StdoutReader stdout() {
    return stdout;
  }

  /** The exit code when the process has exited, else {@code null}. */
  Integer exitCodeIfExited() {
    return process.isAlive() ? null : process.exitValue();
  }

  /**
   * The last stderr lines. Once the process has exited, or is being stopped by the host, this first
   * waits briefly for it to be gone and for its stderr to reach its end, so that every line it
   * wrote is in the tail: the reader runs on its own thread, and a launch that fails right after
   * the plugin wrote would otherwise often report an empty stderr.
   */
  List<String> stderrTail() {
    if (closing || !process.isAlive()) {
      try {
        if (process.waitFor(STDERR_SETTLE_TIME.toNanos(), TimeUnit.NANOSECONDS)) {
          stderr.awaitEnd(STDERR_SETTLE_TIME);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return stderr.tail();
  }

  /** Runs {@code action} when the process exits before the host asked it to stop. */
  void onUnexpectedExit(Runnable action) {
    process
        .onExit()
        .thenRun(
            () -> {
              if (!closing) {
                action.run();
              }
            });
  }

  /** Remembers the processes the plugin has started so far, to kill them even once re-parented. */
  void rememberDescendants() {
    process.descendants().forEach(descendants::add);
  }

  @Override
  public Optional<PluginCrash> crash(Duration wait) {
    if (closing) {
      return Optional.empty();
    }
    try {
      if (!process.waitFor(wait.toNanos(), TimeUnit.NANOSECONDS) || closing) {
        return Optional.empty();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    return Optional.of(new PluginCrash(process.exitValue(), stderrTail()));
  }

  @Override
  public boolean closedByHost() {
    return closing;
  }

  @Override
  public boolean mayHaveDied() {
    return exited;
  }

  /** Marks the process as stopping on the host's request; its exit is no longer a crash. */
  void beginStop() {
    closing = true;
    rememberDescendants();
  }

  /**
   * Waits up to {@code grace} for the process to exit, then kills it and all its descendants, and
   * removes its socket directory. Idempotent.
   *
   * @return whether the process had exited by itself within {@code grace}
   */
  boolean stop(Duration grace) {
    beginStop();
    boolean exited = false;
    try {
      exited = process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS);
      if (!exited && !grace.isZero()) {
        log.warn("plugin {} did not exit within {} of being asked to; killing it", name, grace);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    killNow();
    awaitDeath();
    return exited;
  }

  /**
   * The host is connected: removes the socket's directory. The connection lives on without its
   * name, and nothing of this plugin is left in temporary space if the host dies now.
   */
  void connected() {
    if (socketDirectory != null) {
      socketDirectory.delete();
    }
  }

  /**
   * {@link #connected()} and {@link #rememberDescendants()} on a pooled thread, so the launch waits
   * for neither (~1 ms of file system work together).
   */
  void connectedInBackground() {
    StreamThreads.run(
        "compensa-plugin-" + name + "-connected",
        () -> {
          connected();
          rememberDescendants();
        });
  }

  /** Kills the process and every descendant at once, without a grace period. */
  void killNow() {
    closing = true;
    rememberDescendants();
    // through the handle, not Process.destroyForcibly: that also closes the host's ends of the
    // plugin's stdout and stderr at once, and what the plugin wrote but the reader has not read yet
    // (say, the stderr line explaining a bad handshake) would be lost; killed this way, the pipes
    // end when the process does, and the readers see every line
    process.toHandle().destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    if (socketDirectory != null) {
      socketDirectory.delete();
    }
    LaunchedProcesses.INSTANCE.remove(this);
  }

  private void onExit() {
    exited = true;
    if (closing) {
      return;
    }
    // a crashed plugin's children were re-parented: kill the ones seen, so nothing is orphaned
    descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    if (socketDirectory != null) {
      socketDirectory.delete();
    }
    LaunchedProcesses.INSTANCE.remove(this);
  }

  private void awaitDeath() {
    long deadline = System.nanoTime() + KILL_WAIT.toNanos();
    for (ProcessHandle handle : descendantsAndSelf()) {
      long remaining = deadline - System.nanoTime();
      try {
        handle.onExit().get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        log.warn("process {} of plugin {} is still alive after being killed", handle.pid(), name);
      }
    }
  }

  private List<ProcessHandle> descendantsAndSelf() {
    List<ProcessHandle> all = new ArrayList<>(descendants);
    all.add(process.toHandle());
    return all;
  }
}
