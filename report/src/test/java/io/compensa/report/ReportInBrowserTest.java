package io.compensa.report;

import static io.compensa.host.testing.PluginWorld.create;
import static io.compensa.host.testing.PluginWorld.options;
import static io.compensa.host.testing.PluginWorld.plan;
import static io.compensa.host.testing.PluginWorld.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.host.apply.ApplyResult;
import io.compensa.host.apply.FailurePolicy;
import io.compensa.host.report.ApplyGraph;
import io.compensa.host.testing.PluginWorld;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.ResourceState;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports of real applies (through the scenario plugin and the credentials sample, real processes),
 * opened in headless Chromium: one box per action with its outcome's class, the cascade edges,
 * nothing wider than the page, no request leaving the file, no console message, the outcome colours
 * on the screenshot; and no secret in a credentials apply's report. A page that does reach out is
 * caught by the same checks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportInBrowserTest {
  @TempDir static Path dir;
  private PluginWorld world;
  private Chromium chromium;

  @BeforeAll
  void launch() throws Exception {
    world = PluginWorld.launch(dir, true, true);
    chromium = new Chromium(dir);
  }

  @AfterAll
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  private Path report(String name, Plan plan, ApplyResult result) throws Exception {
    Path page = dir.resolve(name + ".html");
    Files.writeString(
        page, HtmlReport.render(ApplyGraph.of(plan, result.outcomes())), StandardCharsets.UTF_8);
    return page;
  }

  /** The checks every report passes in the browser; returns what the harness measured. */
  private JsonObject opensCleanly(Path page, int actions) throws Exception {
    JsonObject measured = chromium.measure(page);
    assertThat(measured.get("boxes").getAsInt()).as("one box per action").isEqualTo(actions);
    assertThat(measured.get("scrollWidth").getAsInt())
        .as("nothing wider than the page")
        .isLessThanOrEqualTo(measured.get("clientWidth").getAsInt());
    assertThat(measured.getAsJsonArray("outside")).as("references out of the page").isEmpty();
    Chromium.Run shot = chromium.screenshot(page, dir.resolve(page.getFileName() + ".png"));
    assertThat(shot.console()).as("console messages").isEmpty();
    assertThat(shot.pageRequests())
        .as("requests the page made")
        .allSatisfy(url -> assertThat(url).matches("^(file|data):.*"));
    return measured;
  }

  private static boolean hasColour(Path png, int rgb) throws Exception {
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void theQuickstartsAppliesShowEachActionAndTheCompensatedSmokeTest() throws Exception {
    Path state = world.newStateFile("quickstart");
    Plan first =
        plan(
            "qs-1",
            create("site", "t_inverse", "dir"),
            create("index", "t_inverse", "welcome", "site"),
            create("robots", "t_inverse", "robots", "site"));
    ApplyResult created =
        world.apply(state, first, options(FailurePolicy.STOP, 2, List.of()).build());
    assertThat(created.allSucceeded()).isTrue();
    Map<String, ResourceState> records = PluginWorld.entries(state);
    Plan second = plan("qs-2", update(records.get("index"), "under construction"));
    ApplyResult smoked =
        world.apply(state, second, options(FailurePolicy.STOP, 2, List.of("index")).build());
    assertThat(smoked.outcomes().get(0).getStatus())
        .isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);

    JsonObject one = opensCleanly(report("qs-1", first, created), 3);
    assertThat(one.getAsJsonArray("classes").toString()).contains("action status-SUCCESS");
    Path two = report("qs-2", second, smoked);
    JsonObject measured = opensCleanly(two, 1);
    assertThat(measured.getAsJsonArray("classes").get(0).getAsString())
        .isEqualTo("action status-COMPENSATED");
    assertThat(measured.get("text").getAsString()).contains("smoke test failed for index");
    // the timeline: a bar per action that ran, the compensation drawn over it
    assertThat(one.get("bars").getAsInt()).isEqualTo(3);
    assertThat(measured.get("bars").getAsInt()).isEqualTo(1);
    assertThat(measured.get("comps").getAsInt()).isEqualTo(1);
    assertThat(hasColour(dir.resolve("qs-2.html.png"), 0xfff1cc))
        .as("the COMPENSATED fill")
        .isTrue();
  }

  @Test
  void aRollbackWithABlockedTeardownDrawsTheBlockingDependent() throws Exception {
    Path state = world.newStateFile("rollback");
    Plan plan =
        plan(
            "rb-1",
            create("network", "t_inverse", "n"),
            create("database", "t_none", "d", "network"),
            create("app", "t_inverse", "a", "database"));
    ApplyResult result =
        world.apply(state, plan, options(FailurePolicy.ROLLBACK, 2, List.of("app")).build());
    Map<String, ActionStatus> statuses = new java.util.TreeMap<>();
    for (ActionOutcome outcome : result.outcomes()) {
      statuses.put(outcome.getResourceName(), outcome.getStatus());
    }
    assertThat(statuses)
        .containsEntry("app", ActionStatus.ACTION_STATUS_COMPENSATED)
        .containsEntry("database", ActionStatus.ACTION_STATUS_COMPENSATION_FAILED)
        .containsEntry("network", ActionStatus.ACTION_STATUS_COMPENSATION_FAILED);

    Path page = report("rb-1", plan, result);
    JsonObject measured = opensCleanly(page, 3);

    assertThat(measured.get("blockedEdges").getAsInt()).isEqualTo(1);
    // the rollback undid the database because the app failed (network's was blocked, not undone)
    assertThat(measured.get("rolledBackEdges").getAsInt()).isEqualTo(1);
    // every action ran, and the two the rollback reached were compensated later, on the same axis
    assertThat(measured.get("bars").getAsInt()).isEqualTo(3);
    assertThat(measured.get("comps").getAsInt()).isGreaterThanOrEqualTo(2);
    // laid out left to right by dependency: the blocked edge does not turn the layering around
    GraphLayout.Picture picture = GraphLayout.of(ApplyGraph.of(plan, result.outcomes()));
    assertThat(picture.boxes().get(0).x()).isLessThan(picture.boxes().get(1).x());
    assertThat(picture.boxes().get(1).x()).isLessThan(picture.boxes().get(2).x());
    assertThat(measured.get("text").getAsString()).contains("blocked by: database");
    assertThat(hasColour(dir.resolve("rb-1.html.png"), 0xeadcf5))
        .as("the COMPENSATION_FAILED fill")
        .isTrue();
  }

  @Test
  void aStopThatSkipsDependentsDrawsWhatEachFailureSkipped() throws Exception {
    Path state = world.newStateFile("skips");
    Plan plan =
        plan(
            "sk-1",
            create("base", "t_inverse", "b"),
            create("left", "t_inverse", "l", "base"),
            create("right", "t_inverse", "r", "base"));
    ApplyResult result =
        world.apply(state, plan, options(FailurePolicy.STOP, 1, List.of("base")).build());

    JsonObject measured = opensCleanly(report("sk-1", plan, result), 3);

    assertThat(measured.get("skippedEdges").getAsInt()).isEqualTo(2);
  }

  @Test
  void theReportOfACredentialsApplyHoldsNoSecret() throws Exception {
    Path state = world.newStateFile("credentials");
    Struct key =
        Struct.newBuilder()
            .putFields("user", Value.newBuilder().setStringValue("alice").build())
            .build();
    Plan plan = plan("cr-1", create("k", "cred_access_key", key));
    ApplyResult result =
        world.apply(state, plan, options(FailurePolicy.STOP, 1, List.of()).build());
    assertThat(result.allSucceeded()).isTrue();
    Map<?, ?> secrets =
        new Gson().fromJson(Files.readString(PluginWorld.secretsFile(state)), Map.class);
    assertThat(secrets).hasSize(1);
    String secret = (String) secrets.values().iterator().next();

    Path page = report("cr-1", plan, result);

    assertThat(Files.readString(page)).doesNotContain(secret);
    opensCleanly(page, 1);
  }

  @Test
  void aThousandActionReportGroupsItsGraphByTypeAndStillOpensCleanly() throws Exception {
    io.compensa.proto.v1.Plan.Builder big = io.compensa.proto.v1.Plan.newBuilder().setId("big");
    List<ActionOutcome> outcomes = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String type = i % 2 == 0 ? "t_inverse" : "t_none";
      String[] deps = i < 2 ? new String[0] : new String[] {"r" + (i - 2)};
      big.addActions(create("r" + i, type, "v", deps));
      outcomes.add(
          ActionOutcome.newBuilder()
              .setActionId("create-r" + i)
              .setResourceName("r" + i)
              .setKind(io.compensa.proto.v1.ActionKind.ACTION_KIND_CREATE)
              .setStatus(
                  i == 999 ? ActionStatus.ACTION_STATUS_ERROR : ActionStatus.ACTION_STATUS_SUCCESS)
              .build());
    }
    Path page = dir.resolve("big.html");
    Files.writeString(page, HtmlReport.render(ApplyGraph.of(big.build(), outcomes)));

    JsonObject measured = chromium.measure(page);

    assertThat(measured.get("boxes").getAsInt()).isZero();
    assertThat(measured.getAsJsonArray("groups").toString())
        .contains("group status-SUCCESS t_inverse")
        .contains("group status-ERROR t_none");
    assertThat(measured.get("rows").getAsInt()).as("the table lists every action").isEqualTo(1000);
    assertThat(measured.get("scrollWidth").getAsInt())
        .isLessThanOrEqualTo(measured.get("clientWidth").getAsInt());
    Chromium.Run shot = chromium.screenshot(page, dir.resolve("big.png"));
    assertThat(shot.console()).isEmpty();
    assertThat(shot.pageRequests()).allSatisfy(url -> assertThat(url).matches("^(file|data):.*"));
  }

  @Test
  void aPageThatReachesOutOrLogsIsCaughtByTheSameChecks() throws Exception {
    Path bad = dir.resolve("reaches-out.html");
    Files.writeString(
        bad,
        "<!doctype html><html><body><img src=\"http://127.0.0.1:9/x.png\">"
            + "<script>console.error('boom')</script></body></html>");

    Chromium.Run run = chromium.screenshot(bad, dir.resolve("reaches-out.png"));

    assertThat(run.pageRequests()).contains("http://127.0.0.1:9/x.png");
    assertThat(run.console()).anySatisfy(line -> assertThat(line).contains("boom"));
    assertThat(chromium.measure(bad).getAsJsonArray("outside")).isNotEmpty();
  }
}
