package io.compensa.samples.localfs;

import io.compensa.sdk.DriverException;
import java.util.Map;

/**
 * Reads typed values out of a resource configuration, with errors that name the resource and key.
 *
 * <p>Stateless and thread-safe.
 */
final class ConfigValues {

  private ConfigValues() {}

  /** Returns a required, non-empty string. */
  static String required(Map<String, Object> config, String key, String resource)
      throws DriverException {
    Object value = config.get(key);
    if (!(value instanceof String text) || text.isEmpty()) {
      throw DriverException.invalidConfig(
          resource + " needs \"" + key + "\" as a non-empty string, got " + describe(value)
              + ": set it in the resource's config");
    }
    return text;
  }

  /** Returns an optional string, or {@code fallback} when absent. */
  static String optional(Map<String, Object> config, String key, String fallback, String resource)
      throws DriverException {
    Object value = config.get(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String text)) {
      throw DriverException.invalidConfig(
          resource + " needs \"" + key + "\" as a string, got " + describe(value)
              + ": fix it in the resource's config");
    }
    return text;
  }

  private static String describe(Object value) {
    return value == null ? "nothing" : value instanceof String s ? "\"" + s + "\"" : value.toString();
  }
}
