package io.compensa.sdk;

import io.compensa.sdk.internal.JsonValues;
import java.util.Map;
import java.util.Optional;

/**
 * The plugin's configuration: the JSON object the host passes in the environment variable {@code
 * COMPENSA_PLUGIN_CONFIG}, as JSON-like Java values.
 *
 * <p>Values follow the rules of {@link ResourceSpec#config()}: every number is a {@link Double}.
 * Immutable and thread-safe.
 */
public final class PluginConfig {

  private static final PluginConfig EMPTY = new PluginConfig(Map.of());

  private final Map<String, Object> values;

  private PluginConfig(Map<String, Object> values) {
    this.values = JsonValues.copyObject(values);
  }

  /**
   * Returns a configuration with no keys, what a plugin gets when the host passes none.
   *
   * @return the empty configuration
   */
  public static PluginConfig empty() {
    return EMPTY;
  }

  /**
   * Returns a configuration holding {@code values}, for tests and embedders.
   *
   * @param values JSON-like values
   * @return the configuration
   */
  public static PluginConfig of(Map<String, Object> values) {
    return new PluginConfig(values);
  }

  /**
   * Returns every key and value.
   *
   * @return an unmodifiable map
   */
  public Map<String, Object> asMap() {
    return values;
  }

  /**
   * Returns the value of a key.
   *
   * @param key the key
   * @return the value, empty when the key is absent or null
   */
  public Optional<Object> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /**
   * Returns the value of a key that must be a string when present.
   *
   * @param key the key
   * @return the string, empty when the key is absent or null
   * @throws IllegalArgumentException when the value is not a string
   */
  public Optional<String> string(String key) {
    Object value = values.get(key);
    if (value == null || value instanceof String) {
      return Optional.ofNullable((String) value);
    }
    throw new IllegalArgumentException(
        "plugin configuration key \""
            + key
            + "\" must be a string, got "
            + value
            + ": fix it in COMPENSA_PLUGIN_CONFIG");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PluginConfig that && values.equals(that.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "PluginConfig" + values;
  }
}
