package io.compensa.host.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.compensa.host.secrets.SecretsKey;
import io.compensa.host.secrets.TeamKeyset;
import io.compensa.host.testing.Await;
import io.compensa.host.testing.ChildCli;
import io.compensa.host.testing.LocalFs;
import io.compensa.host.testing.Postgres;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets a team can recover with, through the real CLI (child JVMs) and the real credentials
 * plugin on a PostgreSQL state: an apply killed with SIGKILL after an access key's Create succeeded
 * is finished by {@code compensa recover} on a "second machine" (a process with its own fresh
 * working directory, no local secrets file, the key given by the environment), and the secret is
 * readable there afterwards; the same recover without the key fails with the exact message and
 * changes nothing. Without a key an apply cannot store the secret and deletes the key again; with
 * one, {@code secrets rotate} re-encrypts under a new key that the old key file no longer reads.
 */
class PostgresSecretsRecoverTest {
  private static final Gson GSON = new Gson();
  private static final String REFERENCE = "secret:deploy-key/secret";

  @TempDir Path dir;
  private String state;
  private Path cloud;
  private Path machineA;
  private Path machineB;

  @BeforeEach
  void setUp() throws Exception {
    Postgres.require();
    state = "secrets-" + System.nanoTime();
    cloud = dir.resolve("cloud.json");
    machineA = Files.createDirectories(dir.resolve("machine-a"));
    machineB = Files.createDirectories(dir.resolve("machine-b"));
  }

  /** {@code machine/compensa.json}: the shared state and cloud, this machine's plugin launch. */
  private Path config(Path machine) throws Exception {
    List<String> command = new ArrayList<>(LocalFs.command());
    command.set(command.size() - 1, "io.compensa.samples.credentials.CredentialsPlugin");
    JsonObject pluginConfig = new JsonObject();
    pluginConfig.addProperty("cloud", cloud.toString());
    JsonObject plugin = new JsonObject();
    plugin.add("command", GSON.toJsonTree(command));
    plugin.add("config", pluginConfig);
    JsonObject plugins = new JsonObject();
    plugins.add("credentials", plugin);
    JsonObject top = new JsonObject();
    top.addProperty("state", Postgres.url(state));
    top.add("plugins", plugins);
    Path file = machine.resolve("compensa.json");
    Files.writeString(file, GSON.toJson(top));
    return file;
  }

  /** The environment of a host: database login, and the key (or an explicit none). */
  private static Map<String, String> env(String keyVariable, String keyValue) {
    Map<String, String> env = new HashMap<>(Postgres.env());
    env.put(SecretsKey.KEY_ENV, "");
    env.put(SecretsKey.KEY_FILE_ENV, "");
    if (keyVariable != null) {
      env.put(keyVariable, keyValue);
    }
    return env;
  }

  /**
   * Desired: one access key, with a command hook that holds the apply while {@code hold} exists.
   */
  private Path desired(Path machine, Path hookRunning, Path hold) throws Exception {
    JsonObject key = new JsonObject();
    key.addProperty("name", "deploy-key");
    key.addProperty("type", "cred_access_key");
    JsonObject keyConfig = new JsonObject();
    keyConfig.addProperty("user", "deployer");
    key.add("config", keyConfig);
    if (hold != null) {
      JsonObject hook = new JsonObject();
      hook.add(
          "command",
          GSON.toJsonTree(
              List.of(
                  "sh",
                  "-c",
                  "touch '"
                      + hookRunning
                      + "'; while [ -e '"
                      + hold
                      + "' ]; do sleep 0.05; done")));
      hook.addProperty("timeout_seconds", 120);
      JsonArray hooks = new JsonArray();
      hooks.add(hook);
      key.add("hooks", hooks);
    }
    JsonArray resources = new JsonArray();
    resources.add(key);
    JsonObject top = new JsonObject();
    top.add("resources", resources);
    Path file = machine.resolve("desired.json");
    Files.writeString(file, GSON.toJson(top));
    return file;
  }

  private Path plan(Path machine, Map<String, String> env, Path desired) throws Exception {
    Path plan = machine.resolve("plan.json");
    ChildCli.Result planned =
        new ChildCli(machine, env)
            .run(
                "plan",
                "-c",
                machine.resolve("compensa.json").toString(),
                "-o",
                plan.toString(),
                desired.toString());
    assertThat(planned.exitCode()).as(planned.output()).isZero();
    return plan;
  }

  private Path keygen(Path machine) throws Exception {
    Path keyFile = machine.resolve("team.key");
    ChildCli.Result made =
        new ChildCli(machine, env(null, null)).run("secrets", "keygen", "team.key");
    assertThat(made.exitCode()).as(made.output()).isZero();
    assertThat(made.output())
        .contains("wrote a new secrets key (key id ")
        .contains(keyFile.toString());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    return keyFile;
  }

  private JsonObject cloudKeys() throws Exception {
    return JsonParser.parseString(Files.readString(cloud))
        .getAsJsonObject()
        .getAsJsonObject("keys");
  }

  private StateSnapshot stateNow() throws Exception {
    return new PostgresStore(Postgres.settings(state)).read();
  }

  private Map<String, byte[]> secretRows() throws Exception {
    Map<String, byte[]> rows = new HashMap<>();
    try (Connection connection = Postgres.admin();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT reference, ciphertext FROM compensa_secrets WHERE state = ?")) {
      query.setString(1, state);
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          rows.put(row.getString(1), row.getBytes(2));
        }
      }
    }
    return rows;
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void anApplyKilledAfterTheKeysCreateIsFinishedByRecoverOnAnotherMachineThatHasTheKey()
      throws Exception {
    Path keyFile = keygen(machineA);
    Map<String, String> onA = env(SecretsKey.KEY_FILE_ENV, keyFile.toString());
    Path configA = config(machineA);
    Path hookRunning = machineA.resolve("hook-running");
    Path hold = Files.writeString(machineA.resolve("hold"), "");
    Path plan = plan(machineA, onA, desired(machineA, hookRunning, hold));

    // machine A applies; its command hook holds the apply after the key's Create succeeded and
    // its secret was stored, and the host is killed there
    Path log = machineA.resolve("apply.log");
    Process apply =
        new ChildCli(machineA, onA).start(log, "apply", "-c", configA.toString(), plan.toString());
    Await.until(
        "the key's command hook to run (" + hookRunning + ")",
        Duration.ofSeconds(90),
        () -> Files.exists(hookRunning) || !apply.isAlive());
    assertThat(apply.isAlive()).as("held in the hook; log: %s", Files.readString(log)).isTrue();
    List<ProcessHandle> children = apply.descendants().toList();
    apply.destroyForcibly(); // SIGKILL
    assertThat(apply.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(apply.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(15, TimeUnit.SECONDS); // the plugin's orphan guard stops it
      } catch (java.util.concurrent.TimeoutException stillThere) {
        child.destroyForcibly(); // the command hook
      }
    }
    Files.delete(hold);
    assertThat(new PostgresStore(Postgres.settings(state)).journal().unfinished()).isPresent();
    assertThat(cloudKeys().keySet()).hasSize(1);
    String keyId = cloudKeys().keySet().iterator().next();
    Map<String, byte[]> storedSecrets = secretRows();
    assertThat(storedSecrets).containsOnlyKeys(REFERENCE);

    // machine B: its own empty directory with only its configuration; no key yet
    Path configB = config(machineB);
    StateSnapshot before = stateNow();
    long journalRows = Postgres.journalRows(state);
    String cloudBefore = Files.readString(cloud);
    ChildCli.Result keyless =
        new ChildCli(machineB, env(null, null)).run("recover", "-c", configB.toString());
    assertThat(keyless.exitCode()).as(keyless.output()).isEqualTo(1);
    String settings = Postgres.settings(state).toString();
    assertThat(keyless.output())
        .contains(
            "recover: cannot recover plan "
                + io.compensa.host.plan.PlanFiles.read(plan).getId()
                + ": an interrupted action's sensitive output is kept in the secrets of "
                + settings
                + " and cannot be read: secret:deploy-key/secret is stored encrypted in the"
                + " secrets of "
                + settings
                + " and no secrets key is configured: "
                + SecretsKey.howToConfigure()
                + ". Nothing was changed: run `compensa recover` again once it can be read");
    assertThat(new PostgresStore(Postgres.settings(state)).journal().unfinished()).isPresent();
    assertThat(Postgres.journalRows(state)).isEqualTo(journalRows);
    assertThat(stateNow()).isEqualTo(before);
    assertThat(Files.readString(cloud)).isEqualTo(cloudBefore);
    assertThat(secretRows().get(REFERENCE)).isEqualTo(storedSecrets.get(REFERENCE));

    // the same recover with the team's key, given as the keyset JSON in the environment
    Map<String, String> onB = env(SecretsKey.KEY_ENV, Files.readString(keyFile));
    ChildCli.Result recovered =
        new ChildCli(machineB, onB).run("recover", "-c", configB.toString(), "--json");
    assertThat(recovered.exitCode()).as(recovered.output()).isZero();
    assertThat(recovered.output()).contains("\"status\": \"ACTION_STATUS_SUCCESS\"");
    assertThat(new PostgresStore(Postgres.settings(state)).journal().unfinished()).isEmpty();
    ResourceState key = stateNow().getResourcesList().get(0);
    assertThat(key.getOutput().getProviderId()).isEqualTo(keyId);
    assertThat(key.getOutput().getSensitiveKeysList()).containsExactly("secret");
    assertThat(key.getOutput().getOutputs().getFieldsOrThrow("secret").getStringValue())
        .isEqualTo(REFERENCE);
    assertThat(cloudKeys().keySet()).containsExactly(keyId);

    ChildCli.Result shown =
        new ChildCli(machineB, onB).run("secrets", "show", "-c", configB.toString(), REFERENCE);
    assertThat(shown.exitCode()).as(shown.output()).isZero();
    String secret = shown.output().strip();
    assertThat(sha256(secret))
        .as("the secret read on machine B is the one the cloud issued")
        .isEqualTo(cloudKeys().getAsJsonObject(keyId).get("secret_sha256").getAsString());
    assertThat(recovered.output()).as("recover never prints the value").doesNotContain(secret);
    try (Stream<Path> files = Files.list(machineB)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("machine B keeps no secrets file")
          .containsExactlyInAnyOrder("compensa.json", "cli.log");
    }
    ChildCli.Result again = new ChildCli(machineB, onB).run("recover", "-c", configB.toString());
    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(again.output()).contains("nothing to recover");
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void withoutAKeyAnApplyCannotKeepTheSecretAndDeletesTheKeyAgain() throws Exception {
    Path configA = config(machineA);
    Map<String, String> keyless = env(null, null);
    Path plan = plan(machineA, keyless, desired(machineA, null, null));

    ChildCli.Result applied =
        new ChildCli(machineA, keyless)
            .run("apply", "-c", configA.toString(), "--json", plan.toString());

    assertThat(applied.exitCode()).as(applied.output()).isEqualTo(1);
    String hookError =
        "secrets routing: cannot store secret:deploy-key/secret in the secrets of "
            + Postgres.settings(state)
            + ": a PostgreSQL state keeps secrets only encrypted, and no secrets key is"
            + " configured: "
            + SecretsKey.howToConfigure();
    String asJson =
        new com.google.gson.GsonBuilder().disableHtmlEscaping().create().toJson(hookError);
    assertThat(applied.output())
        .contains("\"status\": \"ACTION_STATUS_COMPENSATED\"")
        .contains("\"hookError\": " + asJson);
    assertThat(cloudKeys().keySet()).as("the key was deleted again").isEmpty();
    assertThat(secretRows()).isEmpty();
    assertThat(stateNow().getResourcesList()).isEmpty();
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void rotateReencryptsUnderANewKeyThatTheOldKeyFileNoLongerReads() throws Exception {
    Path keyFile = keygen(machineA);
    Path oldKey = machineA.resolve("old.key");
    Files.copy(keyFile, oldKey, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    Map<String, String> onA = env(SecretsKey.KEY_FILE_ENV, keyFile.toString());
    Path configA = config(machineA);
    Path plan = plan(machineA, onA, desired(machineA, null, null));
    ChildCli.Result applied =
        new ChildCli(machineA, onA).run("apply", "-c", configA.toString(), plan.toString());
    assertThat(applied.exitCode()).as(applied.output()).isZero();
    ChildCli.Result before =
        new ChildCli(machineA, onA).run("secrets", "show", "-c", configA.toString(), REFERENCE);
    assertThat(before.exitCode()).as(before.output()).isZero();
    int oldId = TeamKeyset.parse(Files.readString(oldKey)).primaryKeyId();

    ChildCli.Result inline =
        new ChildCli(machineA, env(SecretsKey.KEY_ENV, Files.readString(keyFile)))
            .run("secrets", "rotate", "-c", configA.toString());
    assertThat(inline.exitCode()).as(inline.output()).isEqualTo(1);
    assertThat(inline.output())
        .contains(
            "secrets rotate: cannot rotate the key in COMPENSA_SECRETS_KEY: rotation writes the"
                + " new key to the key file;");
    assertThat(Files.readString(keyFile)).isEqualTo(Files.readString(oldKey));

    ChildCli.Result rotated =
        new ChildCli(machineA, onA).run("secrets", "rotate", "-c", configA.toString());
    assertThat(rotated.exitCode()).as(rotated.output()).isZero();
    TeamKeyset now = TeamKeyset.parse(Files.readString(keyFile));
    assertThat(now.keyIds()).containsExactly(now.primaryKeyId()).doesNotContain(oldId);
    assertThat(rotated.output())
        .contains(
            "re-encrypted 1 secret(s) in the secrets of "
                + Postgres.settings(state)
                + " under the new key id "
                + Integer.toUnsignedString(now.primaryKeyId())
                + "; dropped old key id(s) "
                + Integer.toUnsignedString(oldId));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    assertThat(TeamKeyset.keyIdOf(secretRows().get(REFERENCE))).contains(now.primaryKeyId());

    ChildCli.Result after =
        new ChildCli(machineA, onA).run("secrets", "show", "-c", configA.toString(), REFERENCE);
    assertThat(after.exitCode()).as(after.output()).isZero();
    assertThat(after.output().strip()).isEqualTo(before.output().strip());
    ChildCli.Result withOld =
        new ChildCli(machineA, env(SecretsKey.KEY_FILE_ENV, oldKey.toString()))
            .run("secrets", "show", "-c", configA.toString(), REFERENCE);
    assertThat(withOld.exitCode()).isEqualTo(1);
    assertThat(withOld.output())
        .contains(
            "secret:deploy-key/secret in the secrets of "
                + Postgres.settings(state)
                + " was encrypted with key id "
                + Integer.toUnsignedString(now.primaryKeyId())
                + ", which the key file "
                + oldKey
                + " (COMPENSA_SECRETS_KEY_FILE) does not hold");
  }
}
