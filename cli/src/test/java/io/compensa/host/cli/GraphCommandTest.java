package io.compensa.host.cli;

import static io.compensa.host.testing.PluginWorld.create;
import static io.compensa.host.testing.PluginWorld.plan;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.util.JsonFormat;
import io.compensa.host.plan.PlanFiles;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensationDetail;
import io.compensa.proto.v1.Plan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compensa graph}: a plan as DOT and Mermaid, planned and after an apply whose cascade the
 * picture must show; and the errors for files that are not what they should be.
 */
class GraphCommandTest {
  @TempDir Path dir;
  private final InProcessCli cli = new InProcessCli();
  private Path planFile;

  /** site <- index, site <- robots, index <- "sitemap" (a quote in a name). */
  @BeforeEach
  void writePlan() throws Exception {
    Plan plan =
        plan(
            "p-1",
            create("site", "localfs_directory", "s"),
            create("index", "localfs_file", "i", "site"),
            create("robots", "localfs_file", "r", "site"),
            create("site\"map", "localfs_file", "m", "index"));
    planFile = dir.resolve("plan.json");
    PlanFiles.write(plan, planFile);
  }

  private Path outcomes(String planId, ActionOutcome... outcomes) throws Exception {
    JsonObject root = new JsonObject();
    root.addProperty("planId", planId);
    JsonArray list = new JsonArray();
    for (ActionOutcome outcome : outcomes) {
      list.add(JsonParser.parseString(JsonFormat.printer().print(outcome)));
    }
    root.add("outcomes", list);
    Path file = dir.resolve("result.json");
    Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(root));
    return file;
  }

  private static ActionOutcome outcome(String name, ActionStatus status) {
    return ActionOutcome.newBuilder()
        .setActionId("create-" + name)
        .setResourceName(name)
        .setKind(ActionKind.ACTION_KIND_CREATE)
        .setStatus(status)
        .build();
  }

  @Test
  void aPlannedGraphIsDotWithOneBoxPerActionAndItsDependencies() {
    assertThat(cli.run("graph", planFile.toString())).as(cli.err()).isZero();

    String dot = cli.out();
    assertThat(dot)
        .startsWith("digraph \"p-1\" {\n  rankdir=LR;")
        .contains("\"create-site\" [label=\"create localfs_directory\\nsite\"")
        .contains("class=\"PLANNED\"")
        .contains("\"create-site\" -> \"create-index\";")
        .contains("\"create-site\" -> \"create-robots\";")
        .contains("\"create-index\" -> \"create-site\\\"map\";")
        .doesNotContain("dashed")
        .endsWith("}\n");
    assertThat(dot.lines().filter(l -> l.contains("[label="))).hasSize(4);
  }

  @Test
  void anAppliedGraphColoursEachOutcomeAndDrawsWhatWasSkippedBecauseOfWhichFailure()
      throws Exception {
    Path result =
        outcomes(
            "p-1",
            outcome("site", ActionStatus.ACTION_STATUS_SUCCESS),
            outcome("index", ActionStatus.ACTION_STATUS_ERROR),
            outcome("robots", ActionStatus.ACTION_STATUS_SUCCESS).toBuilder()
                .setStatus(ActionStatus.ACTION_STATUS_COMPENSATION_FAILED)
                .setCompensation(CompensationDetail.newBuilder().setBlockedBy("index"))
                .build(),
            outcome("site\"map", ActionStatus.ACTION_STATUS_SKIPPED));

    assertThat(cli.run("graph", "--outcomes", result.toString(), planFile.toString()))
        .as(cli.err())
        .isZero();
    assertThat(cli.out())
        .contains("site\\nSUCCESS\", fillcolor=\"#dff3e3\"")
        .contains("class=\"ERROR\"")
        .contains("class=\"SKIPPED\"")
        .contains(
            "\"create-index\" -> \"create-site\\\"map\" [style=dashed, color=\"#c62828\","
                + " label=\"skipped\"];")
        .contains(
            "\"create-index\" -> \"create-robots\" [style=dashed, color=\"#6a1b9a\", label=\"blocked\"];");

    assertThat(
            cli.run(
                "graph",
                "--format",
                "mermaid",
                "--outcomes",
                result.toString(),
                planFile.toString()))
        .as(cli.err())
        .isZero();
    List<String> mermaid = cli.out().lines().toList();
    assertThat(mermaid.get(0)).isEqualTo("flowchart LR");
    assertThat(mermaid)
        .contains("  a0[\"create localfs_directory<br/>site<br/>SUCCESS\"]:::success")
        .contains("  a3[\"create localfs_file<br/>site#quot;map<br/>SKIPPED\"]:::skipped")
        .contains("  a0 --> a1")
        .contains("  a1 -. skipped .-> a3")
        .contains("  a1 -. blocked .-> a2")
        .contains("  classDef skipped fill:#eeeeee,stroke:#757575");
  }

  @Test
  void outcomesOfAnotherPlanOrNotAnApplyResultAreRefusedNamingTheFile() throws Exception {
    Path other = outcomes("p-2", outcome("site", ActionStatus.ACTION_STATUS_SUCCESS));
    assertThat(cli.run("graph", "--outcomes", other.toString(), planFile.toString())).isEqualTo(1);
    assertThat(cli.err()).contains("graph: " + other + " is the result of plan p-2, not of p-1");

    Files.writeString(dir.resolve("junk.json"), "[1, 2]");
    assertThat(
            cli.run(
                "graph", "--outcomes", dir.resolve("junk.json").toString(), planFile.toString()))
        .isEqualTo(1);
    assertThat(cli.err()).contains("not an apply result");

    assertThat(cli.run("graph", dir.resolve("missing.json").toString())).isEqualTo(1);
    assertThat(cli.err()).contains("missing.json");
    assertThat(cli.out()).isEmpty();

    assertThat(cli.run("graph", "--format", "svg", planFile.toString())).isEqualTo(2);
  }
}
