package io.compensa.sdk;

import io.compensa.sdk.internal.JsonValues;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a driver reports about a resource that exists: its provider id and computed outputs.
 *
 * <p>Build one with {@link #of(String)} and the {@code with...} methods, which return new
 * instances. Output values are JSON-like, as in {@link ResourceSpec}. Keys listed in {@link
 * #sensitiveKeys()} are secrets the host never logs nor writes to its state file. Immutable and
 * thread-safe.
 *
 * @param providerId the provider's identifier for the resource (a path, an ARN, a key id)
 * @param outputs values the provider computed
 * @param sensitiveKeys the keys of {@code outputs} whose values are secret
 */
public record ResourceOutput(
    String providerId, Map<String, Object> outputs, Set<String> sensitiveKeys) {

  /**
   * Creates the resource output, checking and copying its fields.
   *
   * @param providerId the provider's identifier for the resource (a path, an ARN, a key id)
   * @param outputs values the provider computed
   * @param sensitiveKeys the keys of {@code outputs} whose values are secret
   */
  public ResourceOutput {
    Objects.requireNonNull(providerId, "providerId");
    outputs = JsonValues.copyObject(outputs == null ? Map.of() : outputs);
    sensitiveKeys = Set.copyOf(sensitiveKeys == null ? Set.of() : sensitiveKeys);
    for (String key : sensitiveKeys) {
      if (!outputs.containsKey(key)) {
        throw new IllegalArgumentException(
            "sensitive key \""
                + key
                + "\" of resource \""
                + providerId
                + "\" is not an output: add it with withSensitiveOutput(key, value)");
      }
    }
  }

  /**
   * Returns an output with a provider id and nothing else.
   *
   * @param providerId the provider's identifier for the resource
   * @return the output
   */
  public static ResourceOutput of(String providerId) {
    return new ResourceOutput(providerId, Map.of(), Set.of());
  }

  /**
   * Returns a copy with one more output value.
   *
   * @param key the output's name
   * @param value a JSON-like value
   * @return the new output
   */
  public ResourceOutput withOutput(String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(outputs);
    copy.put(key, value);
    return new ResourceOutput(providerId, copy, sensitiveKeys);
  }

  /**
   * Returns a copy with one more output value, marked secret.
   *
   * @param key the output's name
   * @param value a JSON-like value
   * @return the new output
   */
  public ResourceOutput withSensitiveOutput(String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(outputs);
    copy.put(key, value);
    Set<String> keys = new LinkedHashSet<>(sensitiveKeys);
    keys.add(key);
    return new ResourceOutput(providerId, copy, keys);
  }
}
