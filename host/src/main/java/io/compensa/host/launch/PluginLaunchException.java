package io.compensa.host.launch;

import java.util.List;
import java.util.OptionalInt;

/**
 * A plugin could not be launched: refused before it ran, failed its handshake, or failed to serve.
 *
 * <p>The message says what failed, what was expected, the command, the exit code (when the process
 * had exited on its own), what the plugin printed on stdout before its handshake, and the last
 * lines of its stderr, which usually say why. The process has been killed by the time this is
 * thrown. Immutable and thread-safe.
 */
public final class PluginLaunchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Integer exitCode;
  private final List<String> stderrTail;
  private final List<String> strayStdout;

  private PluginLaunchException(
      String message,
      Integer exitCode,
      List<String> stderrTail,
      List<String> strayStdout,
      Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.stderrTail = List.copyOf(stderrTail);
    this.strayStdout = List.copyOf(strayStdout);
  }

  /** A launch refused before any process started. */
  static PluginLaunchException before(String message, Throwable cause) {
    return new PluginLaunchException(message, null, List.of(), List.of(), cause);
  }

  /**
   * A launch that failed after the process started.
   *
   * @param problem what failed, in one sentence
   * @param expected what the host expected instead
   * @param exitCode the exit code when the process exited on its own, else {@code null}
   */
  static PluginLaunchException after(
      String problem,
      String expected,
      List<String> command,
      Integer exitCode,
      List<String> stderrTail,
      List<String> strayStdout,
      Throwable cause) {
    StringBuilder message = new StringBuilder(problem);
    message.append("\n  expected: ").append(expected);
    message.append("\n  command: ").append(String.join(" ", command));
    message
        .append("\n  exit code: ")
        .append(exitCode == null ? "none, it was still running (the host killed it)" : exitCode);
    if (!strayStdout.isEmpty()) {
      message.append("\n  printed on stdout before any handshake:");
      strayStdout.forEach(line -> message.append("\n    ").append(line));
    }
    if (stderrTail.isEmpty()) {
      message.append("\n  stderr: empty");
    } else {
      message.append("\n  last lines of its stderr:");
      stderrTail.forEach(line -> message.append("\n    ").append(line));
    }
    return new PluginLaunchException(message.toString(), exitCode, stderrTail, strayStdout, cause);
  }

  /** The exit code, when the process exited on its own before the launch failed. */
  public OptionalInt exitCode() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }

  /** The last lines the plugin wrote to stderr, oldest first; empty when it never ran. */
  public List<String> stderrTail() {
    return stderrTail;
  }

  /** The lines the plugin printed on stdout before its handshake, which the host skipped. */
  public List<String> strayStdout() {
    return strayStdout;
  }
}
