package io.compensa.host.client;

import io.grpc.Status;
import java.util.List;
import java.util.Objects;

/**
 * A call failed because the plugin process died: before the call, or while it was in flight.
 *
 * <p>Carries the exit code and the last lines of the plugin's stderr, which usually say why. The
 * plugin is gone: launch it again to go on. Immutable after construction and thread-safe.
 */
public final class PluginCrashedException extends PluginCallException {
  private static final long serialVersionUID = 1L;

  private final transient PluginCrash crash;

  /** Creates the exception for {@code call}, which the crash cut short. */
  public PluginCrashedException(
      String pluginName, PluginCall call, PluginCrash crash, Status status, Throwable cause) {
    super(message(pluginName, call, crash), pluginName, call, status, null, cause);
    this.crash = Objects.requireNonNull(crash, "crash");
  }

  /** The process's exit code; 128 + the signal number when a signal killed it. */
  public int exitCode() {
    return crash.exitCode();
  }

  /** The last lines the plugin wrote to stderr, oldest first. */
  public List<String> stderrTail() {
    return crash.stderrTail();
  }

  private static String message(String pluginName, PluginCall call, PluginCrash crash) {
    StringBuilder message =
        new StringBuilder()
            .append("plugin ")
            .append(pluginName)
            .append(" crashed (exit code ")
            .append(crash.exitCode())
            .append(") so its ")
            .append(call.methodName())
            .append(" call failed; launch the plugin again to go on.");
    if (crash.stderrTail().isEmpty()) {
      message.append("\n  it wrote nothing to stderr");
    } else {
      message.append("\n  last lines of its stderr:");
      crash.stderrTail().forEach(line -> message.append("\n    ").append(line));
    }
    return message.toString();
  }
}
