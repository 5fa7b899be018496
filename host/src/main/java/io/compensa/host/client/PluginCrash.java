package io.compensa.host.client;

import java.util.List;
import java.util.Objects;

/**
 * What is known about a plugin process that died without the host asking it to.
 *
 * <p>Immutable and thread-safe.
 *
 * @param exitCode the process's exit code; 128 + the signal number when a signal killed it (137 for
 *     SIGKILL)
 * @param stderrTail the last lines the plugin wrote to stderr, oldest first
 */
public record PluginCrash(int exitCode, List<String> stderrTail) {
  /** Copies the tail so the record stays immutable. */
  public PluginCrash {
    stderrTail = List.copyOf(Objects.requireNonNull(stderrTail, "stderrTail"));
  }
}
