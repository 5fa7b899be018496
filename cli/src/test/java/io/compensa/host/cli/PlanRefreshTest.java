package io.compensa.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.compensa.host.testing.LocalFs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compensa plan} reads the world before it plans, through the CLI and the real localfs
 * plugin: a file deleted by hand is created again, one edited by hand is updated back, one deleted
 * by hand and no longer desired has its record dropped; each such action says what was found;
 * {@code --refresh=false} plans from the record alone; a Read that fails refuses the plan naming
 * the resource. The plan shows each attribute that changes and a count per kind, as text and JSON.
 */
class PlanRefreshTest {
  private static final Gson GSON = new Gson();

  @TempDir Path dir;
  private Path world;
  private Path config;
  private final InProcessCli cli = new InProcessCli();

  private int run(String... args) {
    return cli.run(args);
  }

  @BeforeEach
  void setUp() throws Exception {
    world = Files.createDirectories(dir.resolve("world"));
    config =
        InProcessCli.writeConfig(
            dir,
            "state/state.json",
            null,
            "localfs",
            InProcessCli.plugin(LocalFs.command(), InProcessCli.localfsConfig(world)));
    applyDesired("start", file("doc", "doc.txt", "one\n"), file("other", "other.txt", "o\n"));
  }

  @Test
  void aFileDeletedByHandIsCreatedAgainAndOneEditedByHandIsUpdatedBack() throws Exception {
    Files.delete(world.resolve("doc.txt"));
    Files.writeString(world.resolve("other.txt"), "edited by hand\n");
    Path desired =
        desired("same", file("doc", "doc.txt", "one\n"), file("other", "other.txt", "o\n"));

    assertThat(plan(desired, "p.json")).as(cli.err()).isZero();
    assertThat(cli.out())
        .containsPattern("create +doc +localfs_file +gone from the world")
        .containsPattern("update +other +localfs_file +changed outside Compensa: content")
        // the diff starts from the world, not from the record ("o\n" -> "o\n" would be nothing)
        .contains("~ content: \"edited by hand\\n\" -> \"o\\n\"")
        .contains("Plan: 1 to create, 1 to update, 0 to replace, 0 to delete.");

    assertThat(apply("p.json")).as(cli.out() + "\n" + cli.err()).isZero();
    assertThat(Files.readString(world.resolve("doc.txt"))).isEqualTo("one\n");
    assertThat(Files.readString(world.resolve("other.txt"))).isEqualTo("o\n");

    assertThat(plan(desired, "again.json")).isZero();
    assertThat(cli.out()).contains("No changes");
  }

  @Test
  void aFileEditedByHandToTheDesiredContentIsPlannedAsAnUpdateOfTheRecord() throws Exception {
    Files.writeString(world.resolve("doc.txt"), "two\n");
    Path desired =
        desired("two", file("doc", "doc.txt", "two\n"), file("other", "other.txt", "o\n"));

    assertThat(plan(desired, "p.json")).as(cli.err()).isZero();
    assertThat(cli.out())
        .containsPattern(
            "update +doc +localfs_file +changed outside Compensa: content \\(already as desired")
        .contains("Plan: 0 to create, 1 to update, 0 to replace, 0 to delete.")
        .as("the world already holds the desired content: no attribute changes there")
        .doesNotContain("~ content");
    assertThat(apply("p.json")).as(cli.out() + "\n" + cli.err()).isZero();
    assertThat(Files.readString(world.resolve("doc.txt"))).isEqualTo("two\n");
    assertThat(Files.readString(dir.resolve("state/state.json"))).contains("two\\n");

    assertThat(plan(desired, "again.json")).isZero();
    assertThat(cli.out()).contains("No changes");
  }

  @Test
  void aFileDeletedByHandThatIsNoLongerDesiredHasItsRecordDropped() throws Exception {
    Files.delete(world.resolve("doc.txt"));
    assertThat(plan(desired("only-other", file("other", "other.txt", "o\n")), "p.json")).isZero();
    assertThat(cli.out()).containsPattern("delete +doc +localfs_file +gone from the world");
    assertThat(apply("p.json")).as(cli.out() + "\n" + cli.err()).isZero();
    JsonArray recorded =
        JsonParser.parseString(Files.readString(dir.resolve("state/state.json")))
            .getAsJsonObject()
            .getAsJsonArray("resources");
    assertThat(recorded.toString()).doesNotContain("doc.txt").contains("other.txt");
  }

  @Test
  void withoutRefreshThePlanTrustsTheRecord() throws Exception {
    Files.delete(world.resolve("doc.txt"));
    Path desired =
        desired("same", file("doc", "doc.txt", "one\n"), file("other", "other.txt", "o\n"));
    assertThat(
            run(
                "plan",
                "--config",
                config.toString(),
                "--refresh=false",
                "-o",
                dir.resolve("p.json").toString(),
                desired.toString()))
        .as(cli.err())
        .isZero();
    assertThat(cli.out()).contains("No changes");
  }

  @Test
  void aReadThatFailsRefusesThePlanNamingTheResource() throws Exception {
    Files.delete(world.resolve("doc.txt"));
    Files.createDirectory(world.resolve("doc.txt"));
    Path desired =
        desired("same", file("doc", "doc.txt", "one\n"), file("other", "other.txt", "o\n"));
    assertThat(plan(desired, "p.json")).isEqualTo(1);
    assertThat(cli.err())
        .contains("resource \"doc\": the Read that refreshes it before planning failed")
        .contains("--refresh=false");
    assertThat(dir.resolve("p.json")).doesNotExist();
  }

  @Test
  void thePlanShowsEachChangedAttributeAndTheCountsAsTextAndJson() throws Exception {
    Path desired =
        desired("changed", file("doc", "doc.txt", "two\n"), file("new", "new.txt", "n\n"));
    assertThat(plan(desired, "p.json")).isZero();
    assertThat(cli.out())
        .contains("doc (update):")
        .contains("~ content: \"one\\n\" -> \"two\\n\"")
        .contains("new (create):")
        .contains("+ path: \"new.txt\"")
        .contains("other (delete):")
        .contains("- path: \"other.txt\"")
        .contains("Plan: 1 to create, 1 to update, 0 to replace, 1 to delete.");

    assertThat(
            run(
                "plan",
                "--config",
                config.toString(),
                "--json",
                "-o",
                dir.resolve("p2.json").toString(),
                desired.toString()))
        .isZero();
    JsonObject json = JsonParser.parseString(cli.out()).getAsJsonObject();
    assertThat(json.getAsJsonObject("summary").get("update").getAsInt()).isEqualTo(1);
    JsonObject doc = null;
    for (var action : json.getAsJsonArray("actions")) {
      if (action.getAsJsonObject().get("resource").getAsString().equals("doc")) {
        doc = action.getAsJsonObject();
      }
    }
    assertThat(doc).isNotNull();
    JsonObject change = doc.getAsJsonArray("changes").get(0).getAsJsonObject();
    assertThat(change.get("change").getAsString()).isEqualTo("~");
    assertThat(change.get("attribute").getAsString()).isEqualTo("content");
    assertThat(change.get("old").getAsString()).isEqualTo("\"one\\n\"");
    assertThat(change.get("new").getAsString()).isEqualTo("\"two\\n\"");
    assertThat(dir.resolve("p2.json")).exists();
  }

  private void applyDesired(String name, JsonObject... resources) throws Exception {
    assertThat(plan(desired(name, resources), name + "-plan.json")).as(cli.err()).isZero();
    assertThat(apply(name + "-plan.json")).as(cli.out() + "\n" + cli.err()).isZero();
  }

  private int plan(Path desired, String planFile) {
    return run(
        "plan",
        "--config",
        config.toString(),
        "-o",
        dir.resolve(planFile).toString(),
        desired.toString());
  }

  private int apply(String planFile) {
    return run("apply", "--config", config.toString(), dir.resolve(planFile).toString());
  }

  private static JsonObject file(String name, String path, String content) {
    JsonObject resource = new JsonObject();
    resource.addProperty("name", name);
    resource.addProperty("type", "localfs_file");
    JsonObject resourceConfig = new JsonObject();
    resourceConfig.addProperty("path", path);
    resourceConfig.addProperty("content", content);
    resource.add("config", resourceConfig);
    return resource;
  }

  private Path desired(String name, JsonObject... resources) throws Exception {
    JsonArray all = new JsonArray();
    for (JsonObject resource : resources) {
      all.add(resource);
    }
    JsonObject top = new JsonObject();
    top.add("resources", all);
    Path path = dir.resolve(name + ".json");
    Files.writeString(path, GSON.toJson(top));
    return path;
  }
}
