package io.compensa.sdk.internal;

import io.compensa.protocol.LaunchEnvironment;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the plugin when its host is gone, so a crashed or killed host leaves no orphan behind.
 *
 * <p>It watches the process named by {@code COMPENSA_HOST_PID} (the lifeline a Compensa host hands
 * its plugins) or else the plugin's parent at start, and polls it every 500 ms. End-of-file on
 * stdin is deliberately not a signal: go-plugin hosts may pass a closed stdin or {@code /dev/null}.
 * Thread-safe.
 */
public final class OrphanGuard {

  private static final Logger log = LoggerFactory.getLogger(OrphanGuard.class);
  private static final long POLL_MILLIS = 500;

  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "compensa-orphan-guard");
            thread.setDaemon(true);
            return thread;
          });

  private OrphanGuard() {}

  /**
   * Returns the host process to watch.
   *
   * @param env the process environment
   * @return the process named by {@code COMPENSA_HOST_PID}, else the parent; empty when there is no
   *     parent to watch
   * @throws StartupException when {@code COMPENSA_HOST_PID} is not a process id
   */
  public static Optional<Watched> host(Map<String, String> env) throws StartupException {
    String value = env.get(LaunchEnvironment.HOST_PID);
    if (value == null || value.isBlank()) {
      return ProcessHandle.current()
          .parent()
          .map(parent -> new Watched(parent.pid(), parent, "parent process"));
    }
    long pid;
    try {
      pid = Long.parseLong(value.trim());
    } catch (NumberFormatException notANumber) {
      throw new StartupException(
          LaunchEnvironment.HOST_PID
              + " is \""
              + value
              + "\", not a process id: the host must set it to"
              + " its own pid, or leave it unset to watch the parent process");
    }
    return Optional.of(new Watched(pid, ProcessHandle.of(pid).orElse(null), "host process"));
  }

  /**
   * Starts watching; {@code onGone} runs once, on the guard's thread, when the process ends.
   *
   * @param watched the process to watch
   * @param onGone what to do then
   * @return the running guard
   */
  public static OrphanGuard start(Watched watched, Runnable onGone) {
    OrphanGuard guard = new OrphanGuard();
    guard.poller.scheduleWithFixedDelay(
        () -> {
          if (!watched.isAlive()) {
            log.atInfo()
                .addKeyValue("pid", watched.pid())
                .log(
                    "the {} {} is gone: the plugin stops, since no host can use it",
                    watched.role(),
                    watched.pid());
            guard.poller.shutdown();
            onGone.run();
          }
        },
        0,
        POLL_MILLIS,
        TimeUnit.MILLISECONDS);
    return guard;
  }

  /** Stops watching. */
  public void close() {
    poller.shutdownNow();
  }

  /**
   * A process the guard watches.
   *
   * @param pid its id
   * @param handle its handle, or null when it was already gone when the plugin started
   * @param role how to name it in the log line ("host process", "parent process")
   */
  public record Watched(long pid, ProcessHandle handle, String role) {
    boolean isAlive() {
      return handle != null && handle.isAlive();
    }
  }
}
