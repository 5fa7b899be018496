package io.compensa.host.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.launch.LaunchOptions;
import io.compensa.host.testing.FakePlugins;
import io.compensa.host.testing.LocalFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite itself, run on real plugin processes: a conforming plugin (the localfs sample) passes
 * every check and the listener hears each as it is made; a plugin that dies before its handshake
 * fails the handshake check with its own explanation, and the suite still returns a report.
 */
class ConformanceSuiteTest {
  @TempDir Path dir;

  @Test
  void localfsPassesEveryCheckAndTheListenerHearsEachInOrder() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    List<ConformanceCheck> heard = new ArrayList<>();

    ConformanceReport report =
        new ConformanceSuite(LocalFs.options(LocalFs.command(), root).build(), Map.of(), heard::add)
            .run();

    assertThat(report.failed()).as(report.text()).isEmpty();
    assertThat(report.skipped()).as(report.text()).isEmpty();
    assertThat(report.conforms()).isTrue();
    assertThat(report.checks())
        .extracting(ConformanceCheck::name)
        .startsWith("cookie", "handshake", "health", "describe", "reflection")
        .contains(
            "crud",
            "read-without-provider-id",
            "diff",
            "idempotent-create",
            "idempotent-delete",
            "inverse-create",
            "inverse-update",
            "inverse-delete",
            "driver-error")
        .endsWith("shutdown", "sigint", "orphan-guard");
    assertThat(heard).containsExactlyElementsOf(report.checks());
    assertThat(report.summary()).isEqualTo(report.passed().size() + " passed, 0 failed, 0 skipped");
    try (var left = Files.list(root)) {
      assertThat(left.filter(p -> !p.getFileName().toString().equals(".localfs")))
          .as("the checks delete what they create (.localfs is the plugin's own bookkeeping)")
          .isEmpty();
    }
  }

  @Test
  void aPluginThatExitsBeforeItsHandshakeFailsTheHandshakeCheckWithItsStderr() {
    Path fake = FakePlugins.install("exits-before-handshake", dir);

    ConformanceReport report =
        new ConformanceSuite(
                LaunchOptions.builder(List.of(fake.toString()))
                    .name("broken")
                    .startTimeout(Duration.ofSeconds(20))
                    .build())
            .run();

    assertThat(report.conforms()).isFalse();
    assertThat(report.failed()).extracting(ConformanceCheck::name).containsExactly("handshake");
    assertThat(report.failed().get(0).detail())
        .startsWith("the launch failed: ")
        .contains("fatal: /etc/fake-plugin.conf: no such file");
    assertThat(report.text()).contains("handshake");
  }
}
