package io.compensa.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.compensa.host.testing.LocalFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An access key created while the secrets store cannot be written (its path runs through a regular
 * file, so every read and write of it fails), through the CLI and the real credentials plugin: the
 * secret cannot be kept, so the host compensates by deleting the key, and that Delete and the
 * plugin's FinalizeApply must work (the host must not hand the plugin a record that names a
 * sensitive key without its value). Once the store is writable again, the same key is planned,
 * created with its secret kept, and planned and deleted.
 */
class SecretsStoreFailureTest {
  private static final Gson GSON = new Gson();

  @TempDir Path dir;

  private final InProcessCli cli = new InProcessCli();

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void aKeyWhoseSecretCannotBeKeptIsDeletedAgainAndTheSameKeyCanLaterBeCreatedAndDeleted()
      throws Exception {
    Path blocker = Files.writeString(dir.resolve("blocker"), "a file where a directory should be");
    Path config = config("blocker/secrets.json");
    Path keys = desired("keys.json", true);

    assertThat(
            run(
                "plan",
                "--config",
                config.toString(),
                "-o",
                dir.resolve("p1.json").toString(),
                keys.toString()))
        .as(cli.err())
        .isZero();
    int exit =
        run("apply", "--config", config.toString(), "--json", dir.resolve("p1.json").toString());
    assertThat(exit).as(cli.out() + "\n" + cli.err()).isEqualTo(1);
    JsonObject outcome = outcomes(cli.out()).get(0);
    assertThat(outcome.get("status").getAsString()).isEqualTo("ACTION_STATUS_COMPENSATED");
    assertThat(outcome.get("hookError").getAsString())
        .startsWith("secrets routing: cannot read secrets file");
    JsonObject compensation = outcome.getAsJsonObject("compensation");
    assertThat(compensation.get("call").getAsString()).isEqualTo("Delete");
    assertThat(compensation.get("detail").getAsString()).startsWith("deleted the created resource");
    assertThat(outcome.getAsJsonObject("driverOutput").has("sensitiveKeys"))
        .as("no sensitive key is left without its value")
        .isFalse();
    assertThat(cloudKeys()).as("the key was deleted again in the cloud").isEmpty();
    assertThat(recorded()).doesNotContain("deploy-key");

    // the operator fixes the secrets path; the same key is created and deleted normally
    Files.delete(blocker);
    assertThat(
            run(
                "plan",
                "--config",
                config.toString(),
                "-o",
                dir.resolve("p2.json").toString(),
                keys.toString()))
        .as(cli.err())
        .isZero();
    assertThat(run("apply", "--config", config.toString(), dir.resolve("p2.json").toString()))
        .as(cli.out() + "\n" + cli.err())
        .isZero();
    assertThat(cloudKeys()).hasSize(1);
    assertThat(Files.readString(dir.resolve("blocker/secrets.json"))).contains("deploy-key");

    Path none = desired("none.json", false);
    assertThat(
            run(
                "plan",
                "--config",
                config.toString(),
                "-o",
                dir.resolve("p3.json").toString(),
                none.toString()))
        .as(cli.err())
        .isZero();
    assertThat(cli.out()).contains("delete").contains("deploy-key");
    assertThat(run("apply", "--config", config.toString(), dir.resolve("p3.json").toString()))
        .as(cli.out() + "\n" + cli.err())
        .isZero();
    assertThat(cloudKeys()).isEmpty();
    assertThat(recorded()).doesNotContain("deploy-key");
  }

  /**
   * The state's resource records, as JSON text (not how the last apply ended, which names them).
   */
  private String recorded() throws Exception {
    JsonObject state =
        JsonParser.parseString(Files.readString(dir.resolve("state.json"))).getAsJsonObject();
    return state.has("resources") ? state.get("resources").toString() : "[]";
  }

  private Path config(String secrets) throws Exception {
    List<String> command = new ArrayList<>(LocalFs.command());
    command.set(command.size() - 1, "io.compensa.samples.credentials.CredentialsPlugin");
    JsonObject cloud = new JsonObject();
    cloud.addProperty("cloud", dir.resolve("cloud.json").toString());
    return InProcessCli.writeConfig(
        dir, "state.json", secrets, "credentials", InProcessCli.plugin(command, cloud));
  }

  private Path desired(String file, boolean withKey) throws Exception {
    JsonArray resources = new JsonArray();
    if (withKey) {
      JsonObject key = new JsonObject();
      key.addProperty("name", "deploy-key");
      key.addProperty("type", "cred_access_key");
      JsonObject keyConfig = new JsonObject();
      keyConfig.addProperty("user", "deployer");
      key.add("config", keyConfig);
      resources.add(key);
    }
    JsonObject top = new JsonObject();
    top.add("resources", resources);
    Path path = dir.resolve(file);
    Files.writeString(path, GSON.toJson(top));
    return path;
  }

  private static List<JsonObject> outcomes(String json) {
    List<JsonObject> all = new ArrayList<>();
    for (JsonElement outcome :
        JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("outcomes")) {
      all.add(outcome.getAsJsonObject());
    }
    return all;
  }

  private List<String> cloudKeys() throws Exception {
    JsonObject cloud =
        JsonParser.parseString(Files.readString(dir.resolve("cloud.json"))).getAsJsonObject();
    return new ArrayList<>(cloud.getAsJsonObject("keys").keySet());
  }
}
