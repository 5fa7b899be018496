package io.compensa.sdk.internal.logging;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * Where every log line of the plugin goes: stderr, one hclog JSON line per event, at or above the
 * level {@code COMPENSA_LOG_LEVEL} sets (default info).
 *
 * <p>Writes to the process's real stderr file descriptor, so redirecting {@code System.err} does
 * not lose or loop log lines. Thread-safe: lines from concurrent threads never interleave.
 */
public final class HclogOutput {

  /** The environment variable that sets the lowest level written. */
  public static final String LEVEL_VARIABLE = "COMPENSA_LOG_LEVEL";

  private static final PrintStream STDERR = new PrintStream(
      new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

  private static volatile String module = "plugin";
  private static volatile HclogLevel threshold = initialThreshold();

  private HclogOutput() {}

  /**
   * Sets the {@code @module} of every later line, normally the plugin's name.
   *
   * @param pluginName the name
   */
  public static void setModule(String pluginName) {
    module = pluginName;
  }

  /**
   * Sets the lowest level written.
   *
   * @param level the level
   */
  public static void setThreshold(HclogLevel level) {
    threshold = level;
  }

  /**
   * Returns whether lines at a level are written.
   *
   * @param level the level
   * @return true when at or above the threshold
   */
  public static boolean isEnabled(HclogLevel level) {
    return level.compareTo(threshold) >= 0;
  }

  /**
   * Writes one line when its level is enabled.
   *
   * @param level the level
   * @param message the formatted message
   * @param fields key/value pairs
   * @param error the event's exception, or null
   */
  public static void write(
      HclogLevel level, String message, Map<String, ?> fields, Throwable error) {
    if (!isEnabled(level)) {
      return;
    }
    String line = HclogLine.format(Instant.now(), level, module, message, fields, error);
    synchronized (STDERR) {
      STDERR.println(line);
    }
  }

  private static HclogLevel initialThreshold() {
    String setting = System.getenv(LEVEL_VARIABLE);
    if (setting == null || setting.isBlank()) {
      return HclogLevel.INFO;
    }
    try {
      return HclogLevel.parse(setting);
    } catch (IllegalArgumentException unknown) {
      String line = HclogLine.format(Instant.now(), HclogLevel.WARN, module,
          LEVEL_VARIABLE + " is \"" + setting + "\", not one of trace, debug, info, warn, error:"
              + " logging at info",
          Map.of(), null);
      synchronized (STDERR) {
        STDERR.println(line);
      }
      return HclogLevel.INFO;
    }
  }
}
