package io.compensa.report;

import static io.compensa.host.testing.PluginWorld.create;
import static io.compensa.host.testing.PluginWorld.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.report.ApplyGraph;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensationDetail;
import io.compensa.proto.v1.Compensator;
import io.compensa.proto.v1.Plan;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page's structure: one box per action with its outcome's class, the cascade, no request. */
class HtmlReportTest {
  private final Plan plan =
      plan(
          "p-7",
          create("site", "localfs_directory", "s"),
          create("index", "localfs_file", "i", "site"),
          create("robots", "localfs_file", "r", "site"),
          create("<map>", "localfs_file", "m", "index"));

  private static ActionOutcome ended(String name, ActionStatus status) {
    return ActionOutcome.newBuilder()
        .setActionId("create-" + name)
        .setResourceName(name)
        .setKind(ActionKind.ACTION_KIND_CREATE)
        .setStatus(status)
        .build();
  }

  @Test
  void anAppliedPlanHasOneBoxPerActionWithItsOutcomeAndTheCascadeDrawn() throws Exception {
    ApplyGraph graph =
        ApplyGraph.of(
            plan,
            List.of(
                ended("site", ActionStatus.ACTION_STATUS_SUCCESS),
                ended("index", ActionStatus.ACTION_STATUS_COMPENSATED).toBuilder()
                    .setHookError("command hook [grep] exited with 1")
                    .setCompensation(
                        CompensationDetail.newBuilder()
                            .setCompensator(Compensator.COMPENSATOR_HOST)
                            .setCall("Delete")
                            .setResult(ActionStatus.ACTION_STATUS_COMPENSATED)
                            .setDetail("deleted the created resource"))
                    .build(),
                ended("robots", ActionStatus.ACTION_STATUS_COMPENSATION_FAILED).toBuilder()
                    .setCompensation(CompensationDetail.newBuilder().setBlockedBy("index"))
                    .build(),
                ended("<map>", ActionStatus.ACTION_STATUS_SKIPPED).toBuilder()
                    .setSkipReason("dependency \"index\" ended COMPENSATED")
                    .build()));

    String html = HtmlReport.render(graph);

    assertThat(count(html, "<g class=\"action status-")).isEqualTo(4);
    assertThat(html)
        .contains("<g class=\"action status-SUCCESS\" data-action=\"create-site\"")
        .contains("<g class=\"action status-COMPENSATED\" data-action=\"create-index\"")
        .contains("<g class=\"action status-SKIPPED\" data-action=\"create-&lt;map&gt;\"")
        .contains(
            "class=\"edge skipped-because\" data-from=\"create-index\" data-to=\"create-&lt;map&gt;\"")
        .contains("class=\"edge blocked\" data-from=\"create-index\" data-to=\"create-robots\"")
        .contains("<b>failed step:</b> command hook [grep] exited with 1")
        .contains("host Delete \u2192 COMPENSATED: deleted the created resource")
        .contains("4 actions, 1 COMPENSATED, 1 COMPENSATION_FAILED, 1 SKIPPED, 1 SUCCESS")
        .contains("Content-Security-Policy")
        .doesNotContain("<script")
        .doesNotContain("<map>");
    // nothing refers outside the page but the SVG namespace
    assertThat(
            Pattern.compile("(?i)(https?:)?//")
                .matcher(html.replace("http://www.w3.org/2000/svg", ""))
                .find())
        .isFalse();
    // a laid-out graph: boxes placed left to right by their dependencies
    GraphLayout.Picture picture = GraphLayout.of(graph);
    double siteX = picture.boxes().get(0).x();
    double indexX = picture.boxes().get(1).x();
    double mapX = picture.boxes().get(3).x();
    assertThat(indexX).isGreaterThan(siteX);
    assertThat(mapX).isGreaterThan(indexX);
    assertThat(picture.arrows())
        .allSatisfy(a -> assertThat(a.points()).hasSizeGreaterThanOrEqualTo(2));
  }

  @Test
  void theTimelineDrawsEachActionAndCompensationOnOneAxis() throws Exception {
    ApplyGraph graph =
        ApplyGraph.of(
            plan,
            List.of(
                ended("site", ActionStatus.ACTION_STATUS_SUCCESS).toBuilder()
                    .setStartedAt("2026-12-07T10:00:00Z")
                    .setFinishedAt("2026-12-07T10:00:01Z")
                    .build(),
                ended("index", ActionStatus.ACTION_STATUS_COMPENSATED).toBuilder()
                    .setStartedAt("2026-12-07T10:00:01Z")
                    .setFinishedAt("2026-12-07T10:00:04Z")
                    .setCompensation(
                        CompensationDetail.newBuilder()
                            .setStartedAt("2026-12-07T10:00:03Z")
                            .setFinishedAt("2026-12-07T10:00:04Z"))
                    .build(),
                ended("robots", ActionStatus.ACTION_STATUS_SKIPPED),
                ended("<map>", ActionStatus.ACTION_STATUS_SKIPPED)));

    String html = HtmlReport.render(graph);

    // a 4 s axis over 900 units: site 1 s (225), index 3 s (675) from 225, its compensation 1 s
    assertThat(html)
        .contains("<rect class=\"bar\" x=\"190\" y=\"24\" width=\"225\"")
        .contains("<rect class=\"bar\" x=\"415\" y=\"42\" width=\"675\"")
        .contains("<rect class=\"comp\" x=\"865\"")
        .contains(">4.00 s</text>");
    assertThat(count(html, "<rect class=\"bar\"")).as("skipped actions never ran").isEqualTo(2);
  }

  @Test
  void anApplyFinishedByRecoverSaysSoAndMarksWhatRecoverSettled() throws Exception {
    ApplyGraph graph =
        ApplyGraph.of(
            plan,
            List.of(
                ended("site", ActionStatus.ACTION_STATUS_SUCCESS).toBuilder()
                    .setStartedAt("2026-12-07T10:00:00Z")
                    .setFinishedAt("2026-12-07T10:00:01Z")
                    .build(),
                ended("index", ActionStatus.ACTION_STATUS_SUCCESS).toBuilder()
                    .setRecovered(true)
                    .setStartedAt("2026-12-07T10:00:03Z")
                    .setFinishedAt("2026-12-07T10:00:04Z")
                    .build(),
                ended("robots", ActionStatus.ACTION_STATUS_SKIPPED),
                ended("<map>", ActionStatus.ACTION_STATUS_SKIPPED)));

    String html = HtmlReport.render(graph);

    assertThat(html)
        .contains("compensa recover finished it and settled 1 action")
        .contains("<g class=\"action recovered status-SUCCESS\" data-action=\"create-index\"")
        .contains("<line class=\"recover\" x1=\"865\"")
        .contains("recovered:</b> settled by compensa recover");
  }

  @Test
  void aPlanNotYetAppliedIsAllPlanned() throws Exception {
    String html = HtmlReport.render(ApplyGraph.of(plan, List.of()));

    assertThat(count(html, "<g class=\"action status-PLANNED\"")).isEqualTo(4);
    assertThat(html)
        .contains("<title>Compensa plan report: p-7</title>")
        .doesNotContain("class=\"edge skipped-because\"");
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      count++;
    }
    return count;
  }
}
