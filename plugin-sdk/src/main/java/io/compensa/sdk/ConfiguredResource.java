package io.compensa.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A resource with a configuration, desired ({@link ResourceSpec}) or recorded ({@link
 * ResourceState}), and typed reads of that configuration. Each read that finds a key missing or of
 * the wrong type throws an {@link DriverException#invalidConfig invalid-config} error naming the
 * resource (type and name), the key, what it holds and what it should hold, so a driver needs no
 * config reader of its own and no casts:
 *
 * <pre>{@code
 * Path file = root.resolve(spec.string("path"));           // required
 * String mode = spec.string("mode", "0644");               // optional, with a default
 * }</pre>
 */
public interface ConfiguredResource {
  /** The resource's name, unique within a plan. */
  String name();

  /** The resource's type. */
  String type();

  /** The configuration, JSON-like values (every number a {@link Double}). */
  Map<String, Object> config();

  /**
   * The value of {@code key} as a string that is not blank.
   *
   * @throws DriverException when it is missing, blank or not a string
   */
  default String string(String key) throws DriverException {
    Object value = config().get(key);
    if (!(value instanceof String text) || text.isBlank()) {
      throw invalid(key, "a non-empty string", value, "set it");
    }
    return text;
  }

  /**
   * The value of {@code key} as a string, or {@code fallback} when the key is absent.
   *
   * @throws DriverException when it is present but not a string
   */
  default String string(String key, String fallback) throws DriverException {
    Object value = config().get(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String text)) {
      throw invalid(key, "a string", value, "fix it");
    }
    return text;
  }

  /**
   * The value of {@code key} as a number.
   *
   * @throws DriverException when it is missing or not a number
   */
  default double number(String key) throws DriverException {
    Object value = config().get(key);
    if (!(value instanceof Number number)) {
      throw invalid(key, "a number", value, value == null ? "set it" : "fix it");
    }
    return number.doubleValue();
  }

  /**
   * The value of {@code key} as a number, or {@code fallback} when the key is absent.
   *
   * @throws DriverException when it is present but not a number
   */
  default double number(String key, double fallback) throws DriverException {
    return config().get(key) == null ? fallback : number(key);
  }

  /**
   * The value of {@code key} as a boolean, or {@code fallback} when the key is absent.
   *
   * @throws DriverException when it is present but not a boolean
   */
  default boolean flag(String key, boolean fallback) throws DriverException {
    Object value = config().get(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean flag)) {
      throw invalid(key, "true or false", value, "fix it");
    }
    return flag;
  }

  /**
   * The value of {@code key} as a list of strings.
   *
   * @throws DriverException when it is missing, not a list, or holds something that is not a string
   */
  default List<String> strings(String key) throws DriverException {
    Object value = config().get(key);
    if (!(value instanceof List<?> list)) {
      throw invalid(key, "a list of strings", value, value == null ? "set it" : "fix it");
    }
    List<String> strings = new ArrayList<>(list.size());
    for (Object element : list) {
      if (!(element instanceof String text)) {
        throw invalid(key, "a list of strings", value, "fix it");
      }
      strings.add(text);
    }
    return List.copyOf(strings);
  }

  private DriverException invalid(String key, String expected, Object value, String fix) {
    return DriverException.invalidConfig(
        type()
            + " \""
            + name()
            + "\" needs \""
            + key
            + "\" as "
            + expected
            + ", got "
            + describe(value)
            + ": "
            + fix
            + " in the resource's config");
  }

  private static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof String text) {
      return "\"" + text + "\"";
    }
    if (value instanceof Double number && number == Math.rint(number) && !number.isInfinite()) {
      return Long.toString(number.longValue());
    }
    return value.toString();
  }
}
