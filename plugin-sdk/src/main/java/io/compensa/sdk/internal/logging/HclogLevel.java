package io.compensa.sdk.internal.logging;

import java.util.Locale;

/**
 * The levels of go-plugin's (hclog's) JSON log lines, lowest first.
 *
 * <p>Immutable and thread-safe.
 */
public enum HclogLevel {
  /** Very fine detail. */
  TRACE,
  /** Detail for debugging. */
  DEBUG,
  /** Normal operation. */
  INFO,
  /** Something unexpected that the plugin handled. */
  WARN,
  /** Something failed. */
  ERROR;

  /**
   * Returns the name written in the {@code @level} field.
   *
   * @return the lower-case name
   */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the level a setting names, as {@code COMPENSA_LOG_LEVEL} holds it.
   *
   * @param setting trace, debug, info, warn (or warning) or error, in any case
   * @return the level
   * @throws IllegalArgumentException when the setting names no level
   */
  public static HclogLevel parse(String setting) {
    String normal = setting.trim().toUpperCase(Locale.ROOT);
    if (normal.equals("WARNING")) {
      return WARN;
    }
    for (HclogLevel level : values()) {
      if (level.name().equals(normal)) {
        return level;
      }
    }
    throw new IllegalArgumentException(
        "log level \"" + setting + "\" is not one of trace, debug, info, warn, error");
  }

  /**
   * Returns the level of an SLF4J event.
   *
   * @param level the SLF4J level
   * @return the same level
   */
  static HclogLevel of(org.slf4j.event.Level level) {
    return switch (level) {
      case TRACE -> TRACE;
      case DEBUG -> DEBUG;
      case INFO -> INFO;
      case WARN -> WARN;
      case ERROR -> ERROR;
    };
  }
}
