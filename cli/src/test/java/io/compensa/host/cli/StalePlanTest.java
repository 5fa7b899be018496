package io.compensa.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.compensa.host.state.FileStateStore;
import io.compensa.host.store.postgres.PostgresStore;
import io.compensa.host.testing.ChildCli;
import io.compensa.host.testing.LocalFs;
import io.compensa.host.testing.Postgres;
import io.compensa.proto.v1.StateSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A plan applied after another apply moved its resources on is refused, through the real CLI (a
 * child JVM) and the real localfs plugin, on a file and on a PostgreSQL state: plan an UPDATE, a
 * REPLACE or a DELETE of "doc"; let a second plan and apply change "doc"; then apply the first
 * plan. It must exit 1 naming the resource and what changed, call nothing (the world keeps the
 * second apply's file, nothing is orphaned) and write nothing (the state is as the second apply
 * left it); a new plan then applies.
 */
class StalePlanTest {
  private static final Gson GSON = new Gson();

  @TempDir Path dir;
  private Path world;
  private Path config;
  private String backend;
  private String pgState;

  @ParameterizedTest(name = "a stale {1} on a {0} state")
  @CsvSource({
    "file, UPDATE",
    "file, REPLACE",
    "file, DELETE",
    "postgresql, UPDATE",
    "postgresql, REPLACE",
    "postgresql, DELETE"
  })
  void aStalePlanIsRefusedNamingTheResourceAndNothingIsCalledOrWritten(String store, String kind)
      throws Exception {
    setUp(store);
    Path v1 = desired("v1.json", "doc.txt", "one\n");
    assertThat(cli("plan", "--config", config.toString(), "-o", "p0.json", v1.toString()))
        .isEqualTo(0);
    assertThat(cli("apply", "--config", config.toString(), "p0.json")).isEqualTo(0);

    Path staleDesired =
        switch (kind) {
          case "UPDATE" -> desired("stale.json", "doc.txt", "two\n");
          case "REPLACE" -> desired("stale.json", "doc-b.txt", "two\n");
          default -> desired("stale.json", null, null);
        };
    assertThat(
            cli(
                "plan",
                "--config",
                config.toString(),
                "-o",
                "stale-plan.json",
                staleDesired.toString()))
        .isEqualTo(0);
    assertThat(actionKinds(dir.resolve("stale-plan.json"))).containsExactly("ACTION_KIND_" + kind);

    Path v3 = desired("v3.json", "doc.txt", "three\n");
    assertThat(cli("plan", "--config", config.toString(), "-o", "p2.json", v3.toString()))
        .isEqualTo(0);
    assertThat(cli("apply", "--config", config.toString(), "p2.json")).isEqualTo(0);
    StateSnapshot before = state();

    assertThat(cli("apply", "--config", config.toString(), "stale-plan.json")).isEqualTo(1);
    assertThat(lastOutput)
        .contains("is stale")
        .contains("\"doc\" changed since the plan was made (its configuration")
        .contains("Nothing was applied: make a new plan with `compensa plan`");
    assertThat(Files.readString(world.resolve("doc.txt"))).isEqualTo("three\n");
    assertThat(world.resolve("doc-b.txt")).doesNotExist();
    assertThat(state()).isEqualTo(before);

    assertThat(
            cli("plan", "--config", config.toString(), "-o", "fresh.json", staleDesired.toString()))
        .isEqualTo(0);
    assertThat(cli("apply", "--config", config.toString(), "fresh.json")).isEqualTo(0);
    switch (kind) {
      case "UPDATE" -> assertThat(Files.readString(world.resolve("doc.txt"))).isEqualTo("two\n");
      case "REPLACE" -> {
        assertThat(world.resolve("doc.txt")).doesNotExist();
        assertThat(Files.readString(world.resolve("doc-b.txt"))).isEqualTo("two\n");
      }
      default -> assertThat(world.resolve("doc.txt")).doesNotExist();
    }
  }

  private void setUp(String store) throws Exception {
    backend = store;
    world = Files.createDirectories(dir.resolve("world"));
    String location = "state/compensa-state.json";
    if (store.equals("postgresql")) {
      Postgres.require();
      pgState = "stale-" + System.nanoTime();
      location = Postgres.url(pgState);
    }
    config =
        InProcessCli.writeConfig(
            dir,
            location,
            "state/compensa-secrets.json",
            "localfs",
            InProcessCli.plugin(LocalFs.command(), InProcessCli.localfsConfig(world)));
  }

  /** Desired resources: one localfs file "doc" at {@code path}, or none when path is null. */
  private Path desired(String file, String path, String content) throws Exception {
    JsonArray resources = new JsonArray();
    if (path != null) {
      JsonObject doc = new JsonObject();
      doc.addProperty("name", "doc");
      doc.addProperty("type", "localfs_file");
      JsonObject docConfig = new JsonObject();
      docConfig.addProperty("path", path);
      docConfig.addProperty("content", content);
      doc.add("config", docConfig);
      resources.add(doc);
    }
    JsonObject top = new JsonObject();
    top.add("resources", resources);
    Path written = dir.resolve(file);
    Files.writeString(written, GSON.toJson(top));
    return written;
  }

  private static List<String> actionKinds(Path plan) throws Exception {
    List<String> kinds = new ArrayList<>();
    for (var action :
        JsonParser.parseString(Files.readString(plan))
            .getAsJsonObject()
            .getAsJsonArray("actions")) {
      kinds.add(action.getAsJsonObject().get("kind").getAsString());
    }
    return kinds;
  }

  private StateSnapshot state() throws Exception {
    if (backend.equals("postgresql")) {
      return new PostgresStore(Postgres.settings(pgState)).read();
    }
    return new FileStateStore(dir.resolve("state/compensa-state.json")).read();
  }

  private String lastOutput = "";

  /** Runs {@code compensa ARGS} in a child JVM in {@link #dir}; returns its exit code. */
  private int cli(String... args) throws Exception {
    ChildCli.Result result = new ChildCli(dir, Postgres.env()).run(args);
    lastOutput = result.output();
    if (result.exitCode() != 0 && !args[0].equals("apply")) {
      throw new AssertionError("compensa " + String.join(" ", args) + " failed:\n" + lastOutput);
    }
    return result.exitCode();
  }
}
