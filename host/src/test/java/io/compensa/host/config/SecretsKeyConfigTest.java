package io.compensa.host.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.secrets.FileSecretStore;
import io.compensa.host.secrets.SecretReference;
import io.compensa.host.secrets.SecretsKey;
import io.compensa.host.secrets.TeamKeyset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "secrets_key_file" in compensa.json: resolved against the file's directory, kept when plugins are
 * reattached, and the key a file store then encrypts with.
 */
class SecretsKeyConfigTest {
  @TempDir Path dir;

  @Test
  void theKeyFileIsResolvedAgainstTheConfigurationAndEncryptsTheSecretsFile() throws Exception {
    Path file = dir.resolve("compensa.json");
    Files.writeString(
        file,
        "{\"state\": \"state.json\", \"secrets\": \"secrets.json\","
            + " \"secrets_key_file\": \"keys/team.key\", \"plugins\": {}}");
    TeamKeyset.generate().writeTo(dir.resolve("keys/team.key"), false);

    HostConfig config = HostConfigReader.read(file, null);
    assertThat(config.secretsKeyFile()).contains(dir.resolve("keys/team.key"));
    assertThat(HostConfigReader.read(file, "{}").secretsKeyFile())
        .contains(dir.resolve("keys/team.key"));

    SecretsKey key = SecretsKey.configured(config.secretsKeyFile(), Map.of());
    assertThat(key.source())
        .isEqualTo("the key file " + dir.resolve("keys/team.key") + " (\"secrets_key_file\")");
    new FileSecretStore(config.secretsFile(), key)
        .put(new SecretReference("deploy-key", "secret"), "s3cr3t");
    assertThat(Files.readString(dir.resolve("secrets.json")))
        .contains("aead")
        .doesNotContain("s3cr3t");
  }
}
