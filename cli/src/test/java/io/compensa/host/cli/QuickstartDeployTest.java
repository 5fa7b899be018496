package io.compensa.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compensa quickstart deploy} as the README shows it, against this checkout's built localapp
 * plugin: it exits 0, its client saw no failed request, v3 was compensated while v2 kept answering,
 * and it leaves nothing running.
 */
class QuickstartDeployTest {
  @TempDir Path dir;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void theDeployQuickstartRunsAsTheReadmeShowsAndLeavesNothingRunning() throws Exception {
    Path home = Path.of("").toAbsolutePath().getParent();
    assertThat(home.resolve("sample-plugins/localapp/target/compensa-localapp.jar"))
        .as("the localapp plugin is built before the CLI's tests")
        .exists();
    Path work = dir.resolve("deploy");
    String before = System.getProperty("compensa.home");
    System.setProperty("compensa.home", home.toString());
    InProcessCli cli = new InProcessCli();
    int exit;
    try {
      exit = cli.run("quickstart", "deploy", "--dir", work.toString());
    } finally {
      if (before == null) {
        System.clearProperty("compensa.home");
      } else {
        System.setProperty("compensa.home", before);
      }
    }

    assertThat(exit).as(cli.out() + cli.err()).isZero();
    assertThat(cli.out())
        .contains("the front answers: web v1")
        .contains("the front answers: web v2")
        .containsPattern("client: [1-9][0-9]* requests during the deploys, 0 failed")
        .containsPattern("web +replace +COMPENSATED")
        .containsPattern("front +update +SKIPPED")
        .contains("nothing left running.")
        .contains("report: " + work.resolve("report-v3.html"));
    assertThat(Files.readString(work.resolve("report-v3.html")))
        .contains("<g class=\"action status-COMPENSATED\"");
    assertThat(QuickstartDeployCommand.stillRunning(work.resolve("world"))).isEmpty();
    assertThat(Files.exists(work.resolve("compensa-state.json"))).isTrue();
  }
}
