package io.compensa.host.cli;

import static io.compensa.host.testing.PluginWorld.create;
import static io.compensa.host.testing.PluginWorld.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.plan.PlanFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compensa report}: the page is written whole and its path printed; bad input writes none.
 */
class ReportCommandTest {
  @TempDir Path dir;
  private final InProcessCli cli = new InProcessCli();

  @Test
  void aPlanIsWrittenAsOnePageAndItsPathPrinted() throws Exception {
    Path planFile = dir.resolve("plan.json");
    PlanFiles.write(
        plan(
            "p-r",
            create("site", "localfs_directory", "s"),
            create("index", "localfs_file", "i", "site")),
        planFile);
    Path page = dir.resolve("out/report.html");

    assertThat(cli.run("report", "-o", page.toString(), planFile.toString()))
        .as(cli.err())
        .isZero();

    assertThat(cli.out().strip()).isEqualTo(page.toString());
    String html = Files.readString(page);
    assertThat(html)
        .startsWith("<!doctype html>")
        .contains("data-action=\"create-site\"")
        .contains("class=\"edge depends\" data-from=\"create-site\" data-to=\"create-index\"");
    try (var left = Files.list(page.getParent())) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("report.html");
    }
  }

  @Test
  void outcomesThatAreNotAnApplyResultWriteNoPage() throws Exception {
    Path planFile = dir.resolve("plan.json");
    PlanFiles.write(plan("p-r", create("site", "localfs_directory", "s")), planFile);
    Files.writeString(
        dir.resolve("result.json"), "{\"planId\": \"p-r\", \"outcomes\": [{\"notAField\": true}]}");
    Path page = dir.resolve("report.html");

    assertThat(
            cli.run(
                "report",
                "--outcomes",
                dir.resolve("result.json").toString(),
                "-o",
                page.toString(),
                planFile.toString()))
        .isEqualTo(1);

    assertThat(cli.err())
        .contains("report: ")
        .contains("result.json: outcome 0 is not an ActionOutcome");
    assertThat(page).doesNotExist();
  }

  @Test
  void outcomesWhosePlanIdOrListHasTheWrongShapeAreRefusedNamingTheFile() throws Exception {
    // found by fuzzing (reliability/, ApplyResultsFuzzTest): these escaped as
    // IllegalStateException and ClassCastException
    Path planFile = dir.resolve("plan.json");
    PlanFiles.write(plan("p-r", create("site", "localfs_directory", "s")), planFile);
    Path page = dir.resolve("report.html");
    String[][] cases = {
      {"{\"planId\": [], \"outcomes\": []}", "\"planId\" must be a string"},
      {"{\"planId\": \"p-r\", \"outcomes\": {}}", "\"outcomes\" must be a list"},
      {"{\"outcomes\": [[]]}", "outcome 0 is not an object"}
    };
    for (String[] bad : cases) {
      Path result = dir.resolve("result.json");
      Files.writeString(result, bad[0]);

      assertThat(
              cli.run(
                  "report",
                  "--outcomes",
                  result.toString(),
                  "-o",
                  page.toString(),
                  planFile.toString()))
          .as(bad[0])
          .isEqualTo(1);

      assertThat(cli.err()).as(bad[0]).contains(result + ": " + bad[1]);
      assertThat(page).doesNotExist();
    }
  }
}
