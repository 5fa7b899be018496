package io.compensa.host.client;

import java.time.Duration;
import java.util.Optional;

/**
 * Tells a {@link PluginClient} whether the plugin process behind its channel has died.
 *
 * <p>A failed call alone cannot tell a plugin error from a dead plugin: a connection reset looks
 * like any other {@code UNAVAILABLE}. The client asks its watch after such a failure. The launcher
 * supplies a watch backed by the real process; a client over an in-process channel uses {@link
 * #NONE}. Implementations must be thread-safe.
 */
public interface CrashWatch {
  /** A watch for a channel that has no process behind it: never crashed, never closed. */
  CrashWatch NONE =
      new CrashWatch() {
        @Override
        public Optional<PluginCrash> crash(Duration wait) {
          return Optional.empty();
        }

        @Override
        public boolean closedByHost() {
          return false;
        }

        @Override
        public boolean mayHaveDied() {
          return false;
        }
      };

  /**
   * The crash, if the plugin died without the host closing it.
   *
   * @param wait how long to wait for a process that is dying (its connection already dropped) to be
   *     reported dead; zero to only look
   */
  Optional<PluginCrash> crash(Duration wait);

  /** Whether the host has closed the plugin, so calls fail because it is gone on purpose. */
  boolean closedByHost();

  /**
   * A cheap look, taken before every call: {@code false} only when the process is known to be
   * running, in which case the client skips {@link #crash(Duration) crash(Duration.ZERO)}. It must
   * take no lock and make no system call, since every healthy call pays for it. A death it has not
   * seen yet still fails the call on the dropped connection, which then asks {@link #crash}. The
   * default, {@code true}, always asks.
   */
  default boolean mayHaveDied() {
    return true;
  }
}
