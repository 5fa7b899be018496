package io.compensa.host.secrets;

import io.compensa.proto.v1.ResourceOutput;

/**
 * The one rule for keeping sensitive values out of what the host writes or shows: an output without
 * the values its sensitive keys name. The journal, the hooks' view of an output, and a state write
 * whose secrets could not be stored all go through it.
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
}
