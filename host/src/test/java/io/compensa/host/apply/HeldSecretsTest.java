package io.compensa.host.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Value;
import io.compensa.host.secrets.FileSecretStore;
import io.compensa.host.secrets.SecretReference;
import io.compensa.host.secrets.SecretsKey;
import io.compensa.host.secrets.TeamKeyset;
import io.compensa.proto.v1.ResourceOutput;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What recovery makes of a journaled output, whose sensitive values the journal never holds: the
 * values the secrets store kept come back as references, the others go with their keys, and a store
 * that cannot be read stops the lookup with its message.
 */
class HeldSecretsTest {
  @TempDir Path dir;

  private static ResourceOutput journaled() {
    ResourceOutput.Builder output =
        ResourceOutput.newBuilder().setProviderId("CK1").addSensitiveKeys("secret");
    output.addSensitiveKeys("token");
    output.getOutputsBuilder().putFields("user", Value.newBuilder().setStringValue("u").build());
    return output.build();
  }

  @Test
  void aHeldValueComesBackAsItsReferenceAndOneNotHeldGoesWithItsKey() throws Exception {
    FileSecretStore store = new FileSecretStore(dir.resolve("secrets.json"));
    store.put(new SecretReference("deploy-key", "secret"), "kept");
    HeldSecrets held = HeldSecrets.lookUp(store, HeldSecrets.wanted("deploy-key", journaled()));

    ResourceOutput restored = held.restore("deploy-key", journaled());

    assertThat(restored.getSensitiveKeysList()).containsExactly("secret");
    assertThat(restored.getOutputs().getFieldsOrThrow("secret").getStringValue())
        .isEqualTo("secret:deploy-key/secret");
    assertThat(restored.getOutputs().containsFields("token")).isFalse();
    assertThat(restored.getOutputs().getFieldsOrThrow("user").getStringValue()).isEqualTo("u");
  }

  @Test
  void aStoreThatCannotBeReadStopsTheLookUpWithItsMessage() throws Exception {
    Path keyFile = dir.resolve("team.key");
    TeamKeyset.generate().writeTo(keyFile, false);
    new FileSecretStore(dir.resolve("secrets.json"), SecretsKey.ofFile(keyFile))
        .put(new SecretReference("deploy-key", "secret"), "kept");
    FileSecretStore keyless = new FileSecretStore(dir.resolve("secrets.json"));

    assertThatThrownBy(
            () -> HeldSecrets.lookUp(keyless, List.of(new SecretReference("deploy-key", "secret"))))
        .hasMessageStartingWith(
            "secret:deploy-key/secret is stored encrypted in the secrets file "
                + dir.resolve("secrets.json")
                + " and no secrets key is configured");
  }
}
