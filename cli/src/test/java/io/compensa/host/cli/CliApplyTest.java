package io.compensa.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.compensa.host.testing.CapturedEvent;
import io.compensa.host.testing.CapturedLogs;
import io.compensa.host.testing.LocalFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compensa plan}, {@code apply --json} and {@code state} in-process, against real plugin
 * processes (localfs and the credentials sample) configured in a {@code compensa.json}: exit codes,
 * outcomes, the world, bad input, and no sensitive value anywhere it must not be.
 */
class CliApplyTest {
  private static final Gson GSON = new Gson();

  @TempDir Path dir;

  private final InProcessCli cli = new InProcessCli();

  private int run(String... args) {
    return cli.run(args);
  }

  /** compensa.json with localfs (world under dir/world) and credentials (cloud dir/cloud.json). */
  private Path config(boolean withLocalfs, boolean withCredentials) throws Exception {
    JsonObject localfs = new JsonObject();
    localfs.add("command", GSON.toJsonTree(LocalFs.command()));
    JsonObject localfsConfig = new JsonObject();
    localfsConfig.addProperty("root", dir.resolve("world").toString());
    localfs.add("config", localfsConfig);
    JsonObject credentials = new JsonObject();
    List<String> command = new ArrayList<>(LocalFs.command());
    command.set(command.size() - 1, "io.compensa.samples.credentials.CredentialsPlugin");
    credentials.add("command", GSON.toJsonTree(command));
    JsonObject credentialsConfig = new JsonObject();
    credentialsConfig.addProperty("cloud", dir.resolve("cloud.json").toString());
    credentials.add("config", credentialsConfig);
    JsonObject plugins = new JsonObject();
    if (withLocalfs) {
      plugins.add("localfs", localfs);
    }
    if (withCredentials) {
      plugins.add("credentials", credentials);
    }
    JsonObject top = new JsonObject();
    top.addProperty("state", "state/compensa-state.json");
    top.addProperty("secrets", "state/compensa-secrets.json");
    top.add("plugins", plugins);
    Files.createDirectories(dir.resolve("world"));
    Path file = dir.resolve("compensa.json");
    Files.writeString(file, GSON.toJson(top));
    return file;
  }

  private Path stateFile() {
    return dir.resolve("state/compensa-state.json");
  }

  private static JsonObject resource(
      String name, String type, Map<String, Object> config, List<String> hook) {
    JsonObject resource = new JsonObject();
    resource.addProperty("name", name);
    resource.addProperty("type", type);
    resource.add("config", GSON.toJsonTree(config));
    if (!hook.isEmpty()) {
      JsonObject h = new JsonObject();
      h.add("command", GSON.toJsonTree(hook));
      JsonArray hooks = new JsonArray();
      hooks.add(h);
      resource.add("hooks", hooks);
    }
    return resource;
  }

  private Path desired(String file, JsonObject... resources) throws Exception {
    JsonArray all = new JsonArray();
    for (JsonObject resource : resources) {
      all.add(resource);
    }
    JsonObject top = new JsonObject();
    top.add("resources", all);
    Path path = dir.resolve(file);
    Files.writeString(path, GSON.toJson(top));
    return path;
  }

  private static List<String> statuses(JsonObject result) {
    List<String> statuses = new ArrayList<>();
    for (JsonElement outcome : result.getAsJsonArray("outcomes")) {
      statuses.add(outcome.getAsJsonObject().get("status").getAsString());
    }
    return statuses;
  }

  @Test
  void planThenApplyJsonExitsZeroWhenAllSucceedAndOneWhenAHookFailsAndStateCommandsShowTheRecord()
      throws Exception {
    Path config = config(true, false);
    Path desired =
        desired(
            "desired.json",
            resource(
                "greeting",
                "localfs_file",
                Map.of("path", "hello.txt", "content", "hi\n"),
                List.of()),
            resource(
                "notes", "localfs_file", Map.of("path", "notes.txt", "content", "n\n"), List.of()));

    assertThat(
            run(
                "plan",
                "--config",
                config.toString(),
                "-o",
                dir.resolve("plan.json").toString(),
                desired.toString()))
        .as(cli.err())
        .isZero();
    assertThat(cli.out()).contains("greeting").contains("notes");
    assertThat(
            run(
                "apply",
                "--config",
                config.toString(),
                "--json",
                dir.resolve("plan.json").toString()))
        .as(cli.err())
        .isZero();

    JsonObject result = JsonParser.parseString(cli.out()).getAsJsonObject();
    assertThat(result.get("allSucceeded").getAsBoolean()).isTrue();
    assertThat(statuses(result)).containsExactly("ACTION_STATUS_SUCCESS", "ACTION_STATUS_SUCCESS");
    assertThat(cli.err())
        .containsPattern("start +create +greeting \\(localfs_file\\)")
        .containsPattern("end +create +greeting: SUCCESS");
    assertThat(Files.readString(dir.resolve("world/hello.txt"))).isEqualTo("hi\n");
    assertThat(Files.readString(dir.resolve("world/notes.txt"))).isEqualTo("n\n");

    assertThat(run("state", "list", "--config", config.toString())).as(cli.err()).isZero();
    assertThat(cli.out()).contains("greeting").contains("notes").contains("2 resources");
    assertThat(run("state", "show", "--config", config.toString(), "greeting"))
        .as(cli.err())
        .isZero();
    assertThat(JsonParser.parseString(cli.out()).getAsJsonObject().get("name").getAsString())
        .isEqualTo("greeting");
    // ProtoJSON's names, as in the state file
    assertThat(cli.out()).contains("\"providerId\"").doesNotContain("\"provider_id\"");
    assertThat(run("state", "list", "--config", config.toString(), "--json"))
        .as(cli.err())
        .isZero();
    var listed = JsonParser.parseString(cli.out()).getAsJsonObject();
    assertThat(listed.getAsJsonArray("resources")).hasSize(2);
    assertThat(listed.get("lineage").getAsString()).isNotEmpty();
    assertThat(run("state", "show", "--config", config.toString(), "nobody")).isEqualTo(1);
    assertThat(cli.err()).contains("no resource named \"nobody\"");

    // a changed file whose operator hook fails: the update is compensated, exit code 1
    Path changed =
        desired(
            "changed.json",
            resource(
                "greeting",
                "localfs_file",
                Map.of("path", "hello.txt", "content", "bye\n"),
                List.of("false")),
            resource(
                "notes", "localfs_file", Map.of("path", "notes.txt", "content", "n\n"), List.of()));
    assertThat(
            run(
                "plan",
                "--config",
                config.toString(),
                "-o",
                dir.resolve("plan2.json").toString(),
                changed.toString()))
        .as(cli.err())
        .isZero();
    assertThat(
            run(
                "apply",
                "--config",
                config.toString(),
                "--json",
                dir.resolve("plan2.json").toString()))
        .as(cli.out() + "\n" + cli.err())
        .isEqualTo(1);
    JsonObject second = JsonParser.parseString(cli.out()).getAsJsonObject();
    assertThat(second.get("allSucceeded").getAsBoolean()).isFalse();
    assertThat(statuses(second)).containsExactly("ACTION_STATUS_COMPENSATED");
    assertThat(
            second
                .getAsJsonArray("outcomes")
                .get(0)
                .getAsJsonObject()
                .get("hookError")
                .getAsString())
        .contains("command hook [false] exited with 1");
    assertThat(Files.readString(dir.resolve("world/hello.txt")))
        .as("updated back")
        .isEqualTo("hi\n");
  }

  @Test
  void aMalformedPlanFileIsOneClearMessageNamingTheFileExitOneAndTheStateUntouched()
      throws Exception {
    Path config = config(true, false);
    Path desired =
        desired(
            "desired.json",
            resource(
                "kept", "localfs_file", Map.of("path", "kept.txt", "content", "k\n"), List.of()));
    run(
        "plan",
        "--config",
        config.toString(),
        "-o",
        dir.resolve("plan.json").toString(),
        desired.toString());
    assertThat(run("apply", "--config", config.toString(), dir.resolve("plan.json").toString()))
        .isZero();
    byte[] before = Files.readAllBytes(stateFile());
    Path broken = dir.resolve("broken-plan.json");
    Files.writeString(
        broken, "{\"id\": \"p1\", \"actions\": [ {\"kind\": \"ACTION_KIND_CREATE\", ");

    int exit = run("apply", "--config", config.toString(), broken.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err().strip().lines()).as(cli.err()).hasSize(1);
    assertThat(cli.err())
        .startsWith("compensa apply: plan " + broken + " is not a valid plan")
        .contains("line 1")
        .doesNotContain("\tat ");
    assertThat(Files.readAllBytes(stateFile())).isEqualTo(before);
  }

  @Test
  void aMissingConfigFileIsOneClearMessageAndExitOne() throws Exception {
    Path missing = dir.resolve("nowhere/compensa.json");
    Path plan = dir.resolve("plan.json");
    Files.writeString(plan, "{\"id\": \"p\"}");

    int exit = run("apply", "--config", missing.toString(), plan.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(cli.err().strip())
        .isEqualTo(
            "compensa apply: configuration file "
                + missing
                + " does not exist (pass --config FILE)");
    assertThat(Files.exists(dir.resolve("nowhere"))).isFalse();
  }

  @Test
  void noSensitiveValueReachesLogsProgressJsonOrTheStateWhenAnApplyCreatesAKey() throws Exception {
    Path config = config(false, true);
    Path desired =
        desired(
            "keys.json",
            resource("deploy-key", "cred_access_key", Map.of("user", "deployer"), List.of()));
    assertThat(
            run(
                "plan",
                "--config",
                config.toString(),
                "-o",
                dir.resolve("plan.json").toString(),
                desired.toString()))
        .as(cli.err())
        .isZero();
    int logsBefore = CapturedLogs.events().size();

    int exit =
        run("apply", "--config", config.toString(), "--json", dir.resolve("plan.json").toString());
    String stdout = cli.out();
    String stderr = cli.err();
    List<CapturedEvent> logs =
        CapturedLogs.events().subList(logsBefore, CapturedLogs.events().size());

    assertThat(exit).as(stderr).isZero();
    Path secretsFile = dir.resolve("state/compensa-secrets.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretsFile)))
        .isEqualTo("rw-------");
    JsonObject secrets = JsonParser.parseString(Files.readString(secretsFile)).getAsJsonObject();
    String secret = secrets.get("secret:deploy-key/secret").getAsString();
    assertThat(secret).hasSizeGreaterThan(20);
    // the cloud keeps only the secret's digest: the value in the secrets file is the real one
    JsonObject key =
        JsonParser.parseString(Files.readString(dir.resolve("cloud.json")))
            .getAsJsonObject()
            .getAsJsonObject("keys")
            .entrySet()
            .iterator()
            .next()
            .getValue()
            .getAsJsonObject();
    assertThat(key.get("secret_sha256").getAsString())
        .isEqualTo(
            java.util.HexFormat.of()
                .formatHex(
                    java.security.MessageDigest.getInstance("SHA-256")
                        .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8))));

    assertThat(stdout)
        .as("--json stdout")
        .doesNotContain(secret)
        .contains("secret:deploy-key/secret");
    assertThat(stderr).as("progress on stderr").doesNotContain(secret).contains("deploy-key");
    assertThat(logs).as("captured logs").isNotEmpty();
    for (CapturedEvent event : logs) {
      assertThat(event.message() + " " + event.fields())
          .as("log event " + event)
          .doesNotContain(secret);
    }
    String state = Files.readString(stateFile());
    assertThat(state).as("state file").doesNotContain(secret).contains("secret:deploy-key/secret");
    assertThat(run("state", "show", "--config", config.toString(), "deploy-key")).isZero();
    assertThat(cli.out()).doesNotContain(secret).contains("secret:deploy-key/secret");
  }

  @Test
  void reportWithoutAPlanDrawsTheLastApplyFromTheJournalAndTheState() throws Exception {
    Path config = config(true, false);
    Path desired =
        desired(
            "desired.json",
            resource(
                "greeting",
                "localfs_file",
                Map.of("path", "hello.txt", "content", "hi\n"),
                List.of()));
    Path page = dir.resolve("last.html");
    assertThat(run("report", "--config", config.toString(), "-o", page.toString())).isEqualTo(1);
    assertThat(cli.err()).contains("holds no apply");
    assertThat(page).doesNotExist();
    run(
        "plan",
        "--config",
        config.toString(),
        "-o",
        dir.resolve("plan.json").toString(),
        desired.toString());
    assertThat(run("apply", "--config", config.toString(), dir.resolve("plan.json").toString()))
        .as(cli.err())
        .isZero();

    assertThat(run("report", "--config", config.toString(), "-o", page.toString()))
        .as(cli.err())
        .isZero();

    assertThat(cli.out().strip()).isEqualTo(page.toString());
    assertThat(Files.readString(page))
        .contains("<title>Compensa apply report: ")
        .contains("<g class=\"action status-SUCCESS\" data-action=\"")
        .contains("<rect class=\"bar\"");
  }
}
