package io.compensa.sdk.internal.logging;

import java.time.Instant;
import java.util.Map;

/**
 * Where every log line of the plugin goes: stderr, one hclog JSON line per event, at or above the
 * level {@code COMPENSA_LOG_LEVEL} sets (default info).
 *
 * <p>Lines are pure ASCII (see {@link HclogLine}), so the platform encoding of {@code System.err}
 * cannot garble them. Thread-safe: lines from concurrent threads never interleave.
 */
public final class HclogOutput {

  /** The environment variable that sets the lowest level written. */
  public static final String LEVEL_VARIABLE = "COMPENSA_LOG_LEVEL";

  private static final Object LOCK = new Object();

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
    synchronized (LOCK) {
      System.err.println(line);
      System.err.flush();
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
      String line =
          HclogLine.format(
              Instant.now(),
              HclogLevel.WARN,
              module,
              LEVEL_VARIABLE
                  + " is \""
                  + setting
                  + "\", not one of trace, debug, info, warn, error:"
                  + " logging at info",
              Map.of(),
              null);
      synchronized (LOCK) {
        System.err.println(line);
      }
      return HclogLevel.INFO;
    }
  }
}
