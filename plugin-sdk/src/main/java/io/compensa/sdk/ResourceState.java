package io.compensa.sdk;

import io.compensa.sdk.internal.JsonValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The host's record of a resource it manages: the configuration it was last applied with and what
 * the driver last reported about it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the resource's name
 * @param type the resource's type
 * @param config the configuration the resource was last applied with
 * @param output what the driver last reported; its provider id is empty when none is recorded
 * @param dependsOn names of the resources this one depends on
 * @param tainted the resource exists but is incomplete
 * @param needsAttention the record shows what exists after a failed compensation
 * @param attentionReason why the resource needs attention, or an empty string
 */
public record ResourceState(
    String name,
    String type,
    Map<String, Object> config,
    ResourceOutput output,
    List<String> dependsOn,
    boolean tainted,
    boolean needsAttention,
    String attentionReason)
    implements ConfiguredResource {

  /**
   * Creates the resource state, checking and copying its fields.
   *
   * @param name the resource's name
   * @param type the resource's type
   * @param config the configuration the resource was last applied with
   * @param output what the driver last reported; its provider id is empty when none is recorded
   * @param dependsOn names of the resources this one depends on
   * @param tainted the resource exists but is incomplete
   * @param needsAttention the record shows what exists after a failed compensation
   * @param attentionReason why the resource needs attention, or an empty string
   */
  public ResourceState {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    config = JsonValues.copyObject(config == null ? Map.of() : config);
    output = output == null ? ResourceOutput.of("") : output;
    dependsOn = List.copyOf(dependsOn == null ? List.of() : dependsOn);
    attentionReason = attentionReason == null ? "" : attentionReason;
  }

  /**
   * Returns a plain state: applied with {@code config}, reported as {@code output}.
   *
   * @param name the resource's name
   * @param type the resource's type
   * @param config the configuration the resource was applied with
   * @param output what the driver reported
   * @return the state
   */
  public static ResourceState of(
      String name, String type, Map<String, Object> config, ResourceOutput output) {
    return new ResourceState(name, type, config, output, List.of(), false, false, "");
  }

  /**
   * Returns the recorded provider id, empty when none is recorded.
   *
   * @return the provider id
   */
  public String providerId() {
    return output.providerId();
  }
}
