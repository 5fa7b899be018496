package io.compensa.host.apply;

import com.google.protobuf.Value;
import io.compensa.host.secrets.SecretReference;
import io.compensa.host.secrets.SecretStore;
import io.compensa.host.secrets.SecretStoreException;
import io.compensa.proto.v1.ResourceOutput;
import java.util.Optional;

/**
 * Moves sensitive output values into the secrets store and leaves references in their place, so
 * nothing after this step (state, logs, progress, printed outcomes) ever holds them. Thread-safe.
 */
final class SecretRouting {
  private final SecretStore store;

  SecretRouting(SecretStore store) {
    this.store = store;
  }

  /** {@code output} with each sensitive value stored and replaced by its reference. */
  ResourceOutput route(String resourceName, ResourceOutput output) throws SecretStoreException {
    if (output.getSensitiveKeysCount() == 0) {
      return output;
    }
    ResourceOutput.Builder routed = output.toBuilder();
    for (String key : output.getSensitiveKeysList()) {
      Value value = output.getOutputs().getFieldsOrDefault(key, null);
      if (value == null) {
        continue;
      }
      SecretReference reference = new SecretReference(resourceName, key);
      String text = value.hasStringValue() ? value.getStringValue() : value.toString();
      // already routed (a resumed step routes again); a reference to anything else is a value
      // like any other: passing it through would let a plugin point this resource's record at
      // another resource's secret, which forgetting this one would then remove
      if (text.equals(reference.text())) {
        continue;
      }
      store.put(reference, text);
      routed
          .getOutputsBuilder()
          .putFields(key, Value.newBuilder().setStringValue(reference.text()).build());
    }
    return routed.build();
  }

  /** Forgets the values {@code output}'s sensitive keys refer to (an object that is gone). */
  void forgetValuesOf(ResourceOutput output) throws SecretStoreException {
    for (String key : output.getSensitiveKeysList()) {
      Value value = output.getOutputs().getFieldsOrDefault(key, null);
      if (value != null && value.hasStringValue()) {
        Optional<SecretReference> reference = SecretReference.parse(value.getStringValue());
        if (reference.isPresent()) {
          store.remove(reference.get());
        }
      }
    }
  }

  /** Forgets the stored values of a resource that no longer exists. */
  void forget(String resourceName) throws SecretStoreException {
    store.removeAll(resourceName);
  }
}
