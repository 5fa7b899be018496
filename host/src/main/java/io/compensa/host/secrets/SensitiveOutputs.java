package io.compensa.host.secrets;

import io.compensa.proto.v1.ResourceOutput;

/**
 * The one rule for keeping sensitive values out of what the host writes or shows: an output without
 * the values its sensitive keys name. The journal and the hooks' view of an output go through
 * {@link #withoutValues}; an output whose secrets could not be stored through {@link
 * #withoutSensitive}, which drops the keys too.
 */
public final class SensitiveOutputs {
  private SensitiveOutputs() {}

  /** {@code output} without the values of its sensitive keys (the keys themselves stay listed). */
  public static ResourceOutput withoutValues(ResourceOutput output) {
    if (output.getSensitiveKeysCount() == 0) {
      return output;
    }
    ResourceOutput.Builder clean = output.toBuilder();
    for (String key : output.getSensitiveKeysList()) {
      clean.getOutputsBuilder().removeFields(key);
    }
    return clean.build();
  }

  /**
   * {@code output} without its sensitive values and without the keys that named them: what is left
   * when the values could not be kept (their store failed). A record the host keeps, or sends to a
   * plugin, must never list a sensitive key whose value it does not hold: a plugin (the SDK does)
   * refuses such a record, and the resource could then not even be deleted.
   */
  public static ResourceOutput withoutSensitive(ResourceOutput output) {
    if (output.getSensitiveKeysCount() == 0) {
      return output;
    }
    return withoutValues(output).toBuilder().clearSensitiveKeys().build();
  }
}
