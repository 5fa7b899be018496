package io.compensa.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.compensa.host.testing.LocalFs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compensa secrets} on a file state, through the CLI and the real credentials plugin: keygen
 * never replaces a key file, a configured key encrypts the secrets file, {@code show} prints the
 * value the cloud issued (and says what is wrong with a bad or unknown reference, or a missing
 * key), and {@code rotate} re-encrypts what is stored.
 */
class SecretsCommandTest {
  private static final Gson GSON = new Gson();
  private static final String REFERENCE = "secret:deploy-key/secret";

  @TempDir Path dir;

  private final InProcessCli cli = new InProcessCli();

  private Path config(String name, boolean withKey) throws Exception {
    List<String> command = new ArrayList<>(LocalFs.command());
    command.set(command.size() - 1, "io.compensa.samples.credentials.CredentialsPlugin");
    JsonObject plugin = new JsonObject();
    plugin.add("command", GSON.toJsonTree(command));
    JsonObject cloud = new JsonObject();
    cloud.addProperty("cloud", dir.resolve("cloud.json").toString());
    plugin.add("config", cloud);
    JsonObject plugins = new JsonObject();
    plugins.add("credentials", plugin);
    JsonObject top = new JsonObject();
    top.addProperty("state", "state.json");
    top.addProperty("secrets", "secrets.json");
    if (withKey) {
      top.addProperty("secrets_key_file", "team.key");
    }
    top.add("plugins", plugins);
    Path file = dir.resolve(name);
    Files.writeString(file, GSON.toJson(top));
    return file;
  }

  private Path desired() throws Exception {
    JsonObject key = new JsonObject();
    key.addProperty("name", "deploy-key");
    key.addProperty("type", "cred_access_key");
    JsonObject keyConfig = new JsonObject();
    keyConfig.addProperty("user", "deployer");
    key.add("config", keyConfig);
    JsonArray resources = new JsonArray();
    resources.add(key);
    JsonObject top = new JsonObject();
    top.add("resources", resources);
    return Files.writeString(dir.resolve("desired.json"), GSON.toJson(top));
  }

  private String issuedSecretSha256() throws Exception {
    JsonObject keys =
        JsonParser.parseString(Files.readString(dir.resolve("cloud.json")))
            .getAsJsonObject()
            .getAsJsonObject("keys");
    return keys.getAsJsonObject(keys.keySet().iterator().next()).get("secret_sha256").getAsString();
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aConfiguredKeyEncryptsTheFileShowPrintsTheValueAndRotateReencryptsIt() throws Exception {
    Path keyFile = dir.resolve("team.key");
    assertThat(cli.run("secrets", "keygen", keyFile.toString())).as(cli.err()).isZero();
    String key = Files.readString(keyFile);
    assertThat(cli.run("secrets", "keygen", keyFile.toString())).isEqualTo(1);
    assertThat(cli.err())
        .contains("secrets keygen: " + keyFile + " already exists: choose another path");
    assertThat(Files.readString(keyFile)).isEqualTo(key);

    Path config = config("compensa.json", true);
    Path plan = dir.resolve("plan.json");
    assertThat(
            cli.run("plan", "-c", config.toString(), "-o", plan.toString(), desired().toString()))
        .as(cli.err())
        .isZero();
    assertThat(cli.run("apply", "-c", config.toString(), plan.toString()))
        .as(cli.out() + cli.err())
        .isZero();
    String secretsFile = Files.readString(dir.resolve("secrets.json"));
    assertThat(secretsFile).contains(REFERENCE).contains("\"aead\"");

    assertThat(cli.run("secrets", "show", "-c", config.toString(), REFERENCE))
        .as(cli.err())
        .isZero();
    String secret = cli.out().strip();
    assertThat(sha256(secret)).isEqualTo(issuedSecretSha256());
    assertThat(secretsFile).doesNotContain(secret);

    assertThat(cli.run("secrets", "show", "-c", config.toString(), "deploy-key")).isEqualTo(2);
    assertThat(cli.err()).contains("\"deploy-key\" is not a secret reference");
    assertThat(cli.run("secrets", "show", "-c", config.toString(), "secret:other/secret"))
        .isEqualTo(1);
    assertThat(cli.err())
        .contains(
            "secrets show: nothing is stored under secret:other/secret in the secrets file "
                + dir.resolve("secrets.json"));

    Path keyless = config("keyless.json", false);
    assertThat(cli.run("secrets", "show", "-c", keyless.toString(), REFERENCE)).isEqualTo(1);
    assertThat(cli.err())
        .contains(
            "secrets show: secret:deploy-key/secret is stored encrypted in the secrets file "
                + dir.resolve("secrets.json")
                + " and no secrets key is configured: set COMPENSA_SECRETS_KEY_FILE");

    assertThat(cli.run("secrets", "rotate", "-c", config.toString())).as(cli.err()).isZero();
    assertThat(cli.out()).contains("re-encrypted 1 secret(s) in the secrets file ");
    assertThat(Files.readString(keyFile)).isNotEqualTo(key);
    assertThat(Files.readString(dir.resolve("secrets.json"))).isNotEqualTo(secretsFile);
    assertThat(cli.run("secrets", "show", "-c", config.toString(), REFERENCE))
        .as(cli.err())
        .isZero();
    assertThat(cli.out().strip()).isEqualTo(secret);
  }

  @Test
  void rotateWithoutAKeySaysHowToGiveOne() throws Exception {
    Path keyless = config("keyless.json", false);
    assertThat(cli.run("secrets", "rotate", "-c", keyless.toString())).isEqualTo(1);
    assertThat(cli.err())
        .contains(
            "secrets rotate: nothing to rotate: no secrets key is configured: set"
                + " COMPENSA_SECRETS_KEY_FILE to the team's key file");
  }
}
