package io.compensa.sdk.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks and deep-copies JSON-like Java values: null, Boolean, Number, String, List and {@code
 * Map<String, ?>}.
 *
 * <p>Copies are unmodifiable and may hold nulls (a JSON null), which {@code Map.copyOf} refuses.
 * Stateless and thread-safe.
 */
public final class JsonValues {

  private JsonValues() {}

  /**
   * Returns an unmodifiable deep copy of a JSON object.
   *
   * @param object the object; keys must be strings, values JSON-like
   * @return the copy, in the original key order
   * @throws IllegalArgumentException naming the first value that is not JSON-like
   */
  public static Map<String, Object> copyObject(Map<String, ?> object) {
    return copyMap(object, "");
  }

  private static Map<String, Object> copyMap(Map<?, ?> object, String path) {
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : object.entrySet()) {
      if (!(entry.getKey() instanceof String key)) {
        throw new IllegalArgumentException(
            "key "
                + entry.getKey()
                + " at "
                + display(path)
                + " is not a string: JSON objects"
                + " have string keys");
      }
      copy.put(key, copyValue(entry.getValue(), path.isEmpty() ? key : path + "." + key));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static Object copyValue(Object value, String path) {
    if (value == null || value instanceof Boolean || value instanceof String) {
      return value;
    }
    if (value instanceof Number number) {
      double d = number.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException(
            "value " + value + " at " + display(path) + " is not a finite number: JSON has none");
      }
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      return copyMap(map, path);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(copyValue(list.get(i), path + "[" + i + "]"));
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException(
        "value at "
            + display(path)
            + " is a "
            + value.getClass().getName()
            + ", which is not JSON-like: use null, Boolean, Number, String, List or Map");
  }

  private static String display(String path) {
    return path.isEmpty() ? "the top level" : "\"" + path + "\"";
  }
}
