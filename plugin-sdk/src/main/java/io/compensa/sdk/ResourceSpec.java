package io.compensa.sdk;

import io.compensa.sdk.internal.JsonValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the operator wants a resource to be: its name, type, configuration and dependencies.
 *
 * <p>The configuration holds JSON-like values: {@code null}, {@link Boolean}, {@link Double} (every
 * number arrives as a double), {@link String}, {@link List} and {@code Map<String, Object>}.
 * Immutable and thread-safe.
 *
 * @param name the resource's name, unique within a plan
 * @param type the resource type, as registered with {@link ResourceType}
 * @param config the desired configuration
 * @param dependsOn names of the resources this one depends on
 */
public record ResourceSpec(
    String name, String type, Map<String, Object> config, List<String> dependsOn)
    implements ConfiguredResource {

  /**
   * Creates the resource spec, checking and copying its fields.
   *
   * @param name the resource's name, unique within a plan
   * @param type the resource type, as registered with {@link ResourceType}
   * @param config the desired configuration
   * @param dependsOn names of the resources this one depends on
   */
  public ResourceSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    config = JsonValues.copyObject(config == null ? Map.of() : config);
    dependsOn = List.copyOf(dependsOn == null ? List.of() : dependsOn);
  }

  /**
   * Returns a spec without dependencies.
   *
   * @param name the resource's name
   * @param type the resource type
   * @param config the desired configuration
   * @return the spec
   */
  public static ResourceSpec of(String name, String type, Map<String, Object> config) {
    return new ResourceSpec(name, type, config, List.of());
  }
}
