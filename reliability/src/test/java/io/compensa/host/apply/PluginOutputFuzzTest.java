package io.compensa.host.apply;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Value;
import io.compensa.host.secrets.SecretReference;
import io.compensa.host.secrets.SecretStore;
import io.compensa.host.secrets.SensitiveOutputs;
import io.compensa.proto.v1.ResourceOutput;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a plugin returns from a driver call (a {@link ResourceOutput}, as gRPC decodes it) through
 * the steps the host runs on it before anything is kept: output validation, then secrets routing.
 * Output validation either passes or names the problem; after routing, every sensitive value is in
 * the secrets store under this resource's own reference and the output holds only that reference,
 * which parses back to the same resource and key; the journal's view of the output holds no
 * sensitive value.
 */
class PluginOutputFuzzTest {
  private static final String RESOURCE = "fuzzed";

  @FuzzTest
  void pluginOutput(byte[] input) throws Exception {
    ResourceOutput output;
    try {
      output = ResourceOutput.parseFrom(input);
    } catch (InvalidProtocolBufferException e) {
      return;
    }
    Optional<String> failure = PostDriverSteps.validateOutput(RESOURCE, Optional.of(output));
    if (failure.isPresent()) {
      if (!failure.get().startsWith("output validation: ")) {
        throw new AssertionError("an output validation failure that does not say so: " + failure);
      }
      return;
    }
    MemorySecrets store = new MemorySecrets();
    ResourceOutput routed = new SecretRouting(store).route(RESOURCE, output);
    for (String key : output.getSensitiveKeysList()) {
      SecretReference reference = new SecretReference(RESOURCE, key);
      Value value = routed.getOutputs().getFieldsOrThrow(key);
      if (!value.getStringValue().equals(reference.text())) {
        throw new AssertionError(
            "sensitive key \"" + key + "\" routed to " + value + ", not to " + reference.text());
      }
      if (!SecretReference.parse(reference.text()).equals(Optional.of(reference))) {
        throw new AssertionError(
            reference.text() + " parses to " + SecretReference.parse(reference.text()));
      }
      if (!store.values.containsKey(reference)) {
        throw new AssertionError("the value of \"" + key + "\" is not in the secrets store");
      }
    }
    ResourceOutput shown = SensitiveOutputs.withoutValues(output);
    for (String key : output.getSensitiveKeysList()) {
      if (shown.getOutputs().containsFields(key)) {
        throw new AssertionError("the journal's view still holds sensitive \"" + key + "\"");
      }
    }
  }

  /** A secrets store in memory: routing, not the file store, is under test here. */
  private static final class MemorySecrets implements SecretStore {
    final Map<SecretReference, String> values = new HashMap<>();

    @Override
    public void put(SecretReference reference, String value) {
      values.put(reference, value);
    }

    @Override
    public Optional<String> get(SecretReference reference) {
      return Optional.ofNullable(values.get(reference));
    }

    @Override
    public void remove(SecretReference reference) {
      values.remove(reference);
    }

    @Override
    public void removeAll(String resourceName) {
      values.keySet().removeIf(reference -> reference.resourceName().equals(resourceName));
    }

    @Override
    public int reencrypt() {
      return values.size(); // nothing is encrypted in memory
    }

    @Override
    public java.util.Set<Integer> keyIdsInUse() {
      return java.util.Set.of();
    }

    @Override
    public String location() {
      return "memory";
    }
  }
}
