package io.compensa.host.apply;

import com.google.protobuf.Value;
import io.compensa.host.secrets.SecretReference;
import io.compensa.host.secrets.SecretStore;
import io.compensa.host.secrets.SecretStoreException;
import io.compensa.proto.v1.ResourceOutput;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sensitive values {@code recover} finds kept: the journal holds a call's output without its
 * sensitive values, and the secrets store may hold them (the host died after storing them), so the
 * record recovery writes refers to them again instead of dropping them. Looked up once, before
 * recovery changes anything, so a store that cannot be read (no key, say) stops the recovery
 * instead of a half-settled action. Immutable.
 */
final class HeldSecrets {
  private final Set<String> held;

  private HeldSecrets(Set<String> held) {
    this.held = held;
  }

  /** Which of {@code wanted} {@code store} holds a value for; every value is read (decrypted). */
  static HeldSecrets lookUp(SecretStore store, Collection<SecretReference> wanted)
      throws SecretStoreException {
    Set<String> held = new TreeSet<>();
    for (SecretReference reference : wanted) {
      if (store.get(reference).isPresent()) {
        held.add(reference.text());
      }
    }
    return new HeldSecrets(held);
  }

  /**
   * The references a journaled {@code output} of scope {@code scope} names by its sensitive keys.
   */
  static Set<SecretReference> wanted(String scope, ResourceOutput output) {
    Set<SecretReference> wanted = new LinkedHashSet<>();
    for (String key : output.getSensitiveKeysList()) {
      wanted.add(new SecretReference(scope, key));
    }
    return wanted;
  }

  /**
   * {@code output} (of scope {@code scope}) with each sensitive key whose value is held set to its
   * reference, and without the sensitive keys whose values are neither there nor held: a record
   * never names a sensitive key without a value.
   */
  ResourceOutput restore(String scope, ResourceOutput output) {
    if (output.getSensitiveKeysCount() == 0) {
      return output;
    }
    ResourceOutput.Builder restored = output.toBuilder().clearSensitiveKeys();
    for (String key : output.getSensitiveKeysList()) {
      SecretReference reference = new SecretReference(scope, key);
      if (held.contains(reference.text())) {
        restored
            .getOutputsBuilder()
            .putFields(key, Value.newBuilder().setStringValue(reference.text()).build());
        restored.addSensitiveKeys(key);
      } else if (output.getOutputs().containsFields(key)) {
        restored.addSensitiveKeys(key);
      }
    }
    return restored.build();
  }
}
