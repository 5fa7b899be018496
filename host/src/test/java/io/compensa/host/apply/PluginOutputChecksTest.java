package io.compensa.host.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.host.secrets.FileSecretStore;
import io.compensa.host.secrets.SecretReference;
import io.compensa.proto.v1.ResourceOutput;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the host checks in a plugin's output before it keeps it: output validation and secrets
 * routing, on outputs a plugin could send (both cases were found by fuzzing, PluginOutputFuzzTest).
 */
class PluginOutputChecksTest {
  @TempDir Path dir;

  private static ResourceOutput secretOutput(String key, String value) {
    return ResourceOutput.newBuilder()
        .setProviderId("AK1")
        .setOutputs(
            Struct.newBuilder().putFields(key, Value.newBuilder().setStringValue(value).build()))
        .addSensitiveKeys(key)
        .build();
  }

  @Test
  void aSensitiveKeyWithASlashFailsOutputValidation() {
    Optional<String> failure =
        PostDriverSteps.validateOutput("key", Optional.of(secretOutput("a/b", "v")));

    assertThat(failure)
        .contains(
            "output validation: sensitive key \"a/b\" contains '/', which a secret reference"
                + " cannot name: the plugin must name sensitive outputs without '/'");
  }

  @Test
  void aSensitiveValueThatNamesAnotherResourcesSecretIsStoredAsAValue() throws Exception {
    FileSecretStore store = new FileSecretStore(dir.resolve("secrets.json"));
    store.put(new SecretReference("other", "secret"), "the other key's secret");

    ResourceOutput routed =
        new SecretRouting(store).route("key", secretOutput("secret", "secret:other/secret"));

    assertThat(routed.getOutputs().getFieldsOrThrow("secret").getStringValue())
        .isEqualTo("secret:key/secret");
    assertThat(store.get(new SecretReference("key", "secret"))).contains("secret:other/secret");
    assertThat(store.get(new SecretReference("other", "secret")))
        .contains("the other key's secret");
  }

  @Test
  void aValueAlreadyRoutedToThisResourceStaysItsReference() throws Exception {
    FileSecretStore store = new FileSecretStore(dir.resolve("secrets.json"));

    ResourceOutput routed =
        new SecretRouting(store).route("key", secretOutput("secret", "secret:key/secret"));

    assertThat(routed.getOutputs().getFieldsOrThrow("secret").getStringValue())
        .isEqualTo("secret:key/secret");
    assertThat(store.get(new SecretReference("key", "secret"))).isEmpty();
  }
}
