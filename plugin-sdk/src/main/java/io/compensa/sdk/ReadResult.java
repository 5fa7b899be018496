package io.compensa.sdk;

import io.compensa.sdk.internal.JsonValues;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link ResourceDriver#read} found: whether the resource exists, and if so its output and,
 * when the driver can tell, the configuration observed at the provider.
 *
 * <p>Immutable and thread-safe.
 *
 * @param exists whether the resource exists
 * @param output the resource's output; empty when it does not exist
 * @param observedConfig the configuration as observed, empty when the driver cannot tell
 */
public record ReadResult(
    boolean exists, Optional<ResourceOutput> output, Map<String, Object> observedConfig) {

  /**
   * Creates the read result, checking and copying its fields.
   *
   * @param exists whether the resource exists
   * @param output the resource's output; empty when it does not exist
   * @param observedConfig the configuration as observed, empty when the driver cannot tell
   */
  public ReadResult {
    output = output == null ? Optional.empty() : output;
    if (exists && output.isEmpty()) {
      throw new IllegalArgumentException(
          "a resource that exists needs an output: use ReadResult.found(output)");
    }
    observedConfig = JsonValues.copyObject(observedConfig == null ? Map.of() : observedConfig);
  }

  /**
   * Returns the result for a resource that does not exist.
   *
   * @return the result
   */
  public static ReadResult absent() {
    return new ReadResult(false, Optional.empty(), Map.of());
  }

  /**
   * Returns the result for a resource that exists.
   *
   * @param output what the driver reports about it
   * @return the result
   */
  public static ReadResult found(ResourceOutput output) {
    return new ReadResult(true, Optional.of(output), Map.of());
  }

  /**
   * Returns a copy that also carries the configuration observed at the provider.
   *
   * @param config the observed configuration
   * @return the new result
   */
  public ReadResult withObservedConfig(Map<String, Object> config) {
    return new ReadResult(exists, output, config);
  }
}
