package io.compensa.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.compensa.host.config.HostConfigReader;
import io.compensa.host.testing.PluginWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Create-before-delete through the CLI with real plugin processes: an access-key rotation whose
 * second consumer cannot move (the credentials sample), watched from outside while it runs; and a
 * replace whose deferred Delete of the old object fails (the scenario plugin), then cleaned up.
 */
class RotationThroughCliTest {
  private static final Gson GSON = new Gson();

  @TempDir Path dir;
  private final InProcessCli cli = new InProcessCli();
  private Path config;

  @BeforeEach
  void configure() throws Exception {
    config = PluginWorld.writeConfig(dir, true, true);
  }

  private Path desired(String name, JsonObject... resources) throws Exception {
    JsonArray all = new JsonArray();
    for (JsonObject resource : resources) {
      all.add(resource);
    }
    JsonObject top = new JsonObject();
    top.add("resources", all);
    Path file = dir.resolve(name);
    Files.writeString(file, GSON.toJson(top));
    return file;
  }

  private static JsonObject resource(String name, String type, String config, String... deps) {
    JsonObject resource = new JsonObject();
    resource.addProperty("name", name);
    resource.addProperty("type", type);
    resource.add("config", JsonParser.parseString(config));
    resource.add("depends_on", GSON.toJsonTree(List.of(deps)));
    return resource;
  }

  /** Plans {@code desired} and applies it with {@code policy}; returns the JSON result. */
  private JsonObject apply(Path desired, String policy, int expectedExit) {
    Path plan = dir.resolve("plan-" + desired.getFileName());
    assertThat(
            cli.run(
                "plan", "--config", config.toString(), "-o", plan.toString(), desired.toString()))
        .as(cli.err())
        .isZero();
    assertThat(
            cli.run(
                "apply",
                "--config",
                config.toString(),
                "--on-failure",
                policy,
                "--json",
                plan.toString()))
        .as(cli.out() + cli.err())
        .isEqualTo(expectedExit);
    return JsonParser.parseString(cli.out()).getAsJsonObject();
  }

  private static Map<String, String> statuses(JsonObject result) {
    Map<String, String> statuses = new TreeMap<>();
    result
        .getAsJsonArray("outcomes")
        .forEach(
            o ->
                statuses.put(
                    o.getAsJsonObject().get("resourceName").getAsString(),
                    o.getAsJsonObject().get("status").getAsString().replace("ACTION_STATUS_", "")));
    return statuses;
  }

  private JsonObject cloud() throws Exception {
    return JsonParser.parseString(Files.readString(dir.resolve("cloud.json"))).getAsJsonObject();
  }

  private Map<String, ?> secrets() throws Exception {
    Path file = HostConfigReader.read(config).secretsFile();
    return Files.exists(file) ? GSON.fromJson(Files.readString(file), Map.class) : Map.of();
  }

  private Path keys(int rotation) throws Exception {
    String key = "{\"user\": \"alice\", \"rotation\": " + rotation + "}";
    return desired(
        "keys-" + rotation + ".json",
        resource("k", "cred_access_key", key),
        resource(
            "billing",
            "cred_key_binding",
            "{\"app\": \"billing\", \"user\": \"alice\", \"rotation\": " + rotation + "}",
            "k"),
        resource(
            "reports",
            "cred_key_binding",
            "{\"app\": \"reports\", \"user\": \"alice\", \"rotation\": " + rotation + "}",
            "k"));
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aRotationWhoseSecondApplicationCannotMoveEndsCompensatedAndTheOldKeyWorksThroughout()
      throws Exception {
    assertThat(statuses(apply(keys(0), "stop", 0)).values()).containsOnly("SUCCESS");
    Set<String> before = Set.copyOf(cloud().getAsJsonObject("keys").keySet());
    String oldKey = before.iterator().next();
    Map<String, ?> secretsBefore = secrets();
    JsonObject faulty = cloud();
    faulty.add("faults", JsonParser.parseString("{\"binding_fail\": [\"reports\"]}"));
    Files.writeString(dir.resolve("cloud.json"), GSON.toJson(faulty));

    // a watcher reads the cloud without pause while the rotation runs: the old key is always there
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger looks = new AtomicInteger();
    List<String> missing = Collections.synchronizedList(new ArrayList<>());
    Set<String> seenKeys = Collections.synchronizedSet(new java.util.TreeSet<>());
    Thread watcher =
        new Thread(
            () -> {
              while (!stop.get()) {
                try {
                  Set<String> now = cloud().getAsJsonObject("keys").keySet();
                  seenKeys.addAll(now);
                  looks.incrementAndGet();
                  if (!now.contains(oldKey)) {
                    missing.add("old key missing among " + now);
                  }
                } catch (Exception partial) {
                  // the cloud file is replaced whole; a read racing the rename retries
                }
              }
            });
    watcher.start();
    JsonObject rotated;
    try {
      rotated = apply(keys(1), "rollback", 1);
    } finally {
      stop.set(true);
      watcher.join(10_000);
    }

    assertThat(statuses(rotated))
        .containsEntry("k", "COMPENSATED")
        .containsEntry("billing", "COMPENSATED")
        .containsEntry("reports", "ERROR");
    assertThat(looks.get()).as("the watcher looked during the rotation").isGreaterThan(10);
    assertThat(seenKeys).as("the new key existed for a while").hasSizeGreaterThan(1);
    assertThat(missing).isEmpty();
    JsonObject after = cloud();
    assertThat(after.getAsJsonObject("keys").keySet()).containsExactly(oldKey);
    assertThat(after.getAsJsonObject("bindings").get("billing").getAsString()).isEqualTo(oldKey);
    assertThat(after.getAsJsonObject("bindings").get("reports").getAsString()).isEqualTo(oldKey);
    assertThat(secrets()).isEqualTo(secretsBefore);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aDeferredDeleteThatFailsLeavesBothObjectsRecordedAndAnEmptyPlanDeletesBoth()
      throws Exception {
    Path v1 =
        desired("cbd-a.json", resource("k", "t_cbd", "{\"value\": \"v\", \"immutable\": \"a\"}"));
    Path v2 =
        desired("cbd-b.json", resource("k", "t_cbd", "{\"value\": \"v\", \"immutable\": \"b\"}"));
    assertThat(statuses(apply(v1, "stop", 0))).containsEntry("k", "SUCCESS");
    Files.writeString(dir.resolve("scenario/inject.json"), "{\"fail\": [\"Delete:k\"]}");

    JsonObject replaced = apply(v2, "stop", 1);

    assertThat(statuses(replaced)).containsEntry("k", "ERROR");
    assertThat(
            replaced
                .getAsJsonArray("outcomes")
                .get(0)
                .getAsJsonObject()
                .get("driverError")
                .getAsString())
        .contains("the deferred Delete of the old object")
        .contains("stays recorded beside the new object");
    assertThat(cli.run("state", "show", "--config", config.toString(), "k")).isZero();
    assertThat(cli.out()).contains("\"deposed\"").contains("\"needsAttention\": true");
    assertThat(cli.run("state", "list", "--config", config.toString())).isZero();
    assertThat(cli.out()).contains("1 deposed: k-");
    try (var files = Files.list(dir.resolve("scenario/world"))) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith("k-")).count())
          .as("both objects exist")
          .isEqualTo(2);
    }

    Files.writeString(dir.resolve("scenario/inject.json"), "{}");
    JsonObject removed = apply(desired("none.json"), "stop", 0);

    assertThat(statuses(removed)).containsEntry("k", "SUCCESS");
    try (var files = Files.list(dir.resolve("scenario/world"))) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith("k-"))).isEmpty();
    }
  }
}
