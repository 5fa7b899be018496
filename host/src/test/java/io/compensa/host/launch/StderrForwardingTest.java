package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.host.testing.CapturedEvent;
import io.compensa.host.testing.CapturedLogs;
import io.compensa.host.testing.FakePlugins;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/** A plugin's stderr arrives in the host's log under plugin.NAME, with its levels and fields. */
class StderrForwardingTest {
  @TempDir Path dir;

  @Test
  void jsonLinesKeepTheirLevelAndFieldsAndPlainLinesMapTheirPrefix() throws Exception {
    Path plugin = FakePlugins.install("logs-then-exits", dir);

    assertThatThrownBy(
            () ->
                new PluginLauncher()
                    .launch(
                        LaunchOptions.builder(List.of(plugin.toString()))
                            .name("json-logger")
                            .build()))
        .isInstanceOf(PluginLaunchException.class);

    assertThat(event("tracing the start").level()).isEqualTo(Level.TRACE);
    assertThat(event("debugging the start").level()).isEqualTo(Level.DEBUG);
    CapturedEvent created = event("created file");
    assertThat(created.level()).isEqualTo(Level.INFO);
    assertThat(created.fields())
        .isEqualTo(Map.of("@module", "fake", "path", "/tmp/a", "size", "42", "ok", "true"));
    assertThat(event("disk almost full").level()).isEqualTo(Level.WARN);
    assertThat(event("cannot write").level()).isEqualTo(Level.ERROR);
    assertThat(event("a plain warning").level()).isEqualTo(Level.WARN);
    assertThat(event("a plain debug line").level()).isEqualTo(Level.DEBUG);
    assertThat(event("a line without a level").level()).isEqualTo(Level.INFO);
  }

  @Test
  void aJavaPluginsStackTraceReachesTheLogOnlyWhenItsLoggerIsAtDebug() throws Exception {
    Path plugin = FakePlugins.install("logs-a-java-exception", dir);
    CapturedLogs.debug("plugin.quiet-java", false);
    try {
      launch(plugin, "quiet-java");
      CapturedEvent quiet = event("plugin.quiet-java", "cannot create /w/a.txt");
      assertThat(quiet.level()).isEqualTo(Level.WARN);
      assertThat(quiet.fields()).containsEntry("call", "Create");
      assertThat(quiet.fields()).doesNotContainKeys("stacktrace", "error");
      // an "error" without a stack trace (a Go plugin's error value) is the message's substance
      assertThat(event("plugin.quiet-java", "cannot connect").fields())
          .containsEntry("error", "dial tcp: connection refused");
    } finally {
      CapturedLogs.debug("plugin.quiet-java", true);
    }

    launch(plugin, "verbose-java");
    assertThat(event("plugin.verbose-java", "cannot create /w/a.txt").fields())
        .containsEntry("error", "java.nio.file.AccessDeniedException: /w/a.txt")
        .containsKey("stacktrace");
  }

  private static void launch(Path plugin, String name) {
    assertThatThrownBy(
            () ->
                new PluginLauncher()
                    .launch(LaunchOptions.builder(List.of(plugin.toString())).name(name).build()))
        .isInstanceOf(PluginLaunchException.class);
  }

  private static CapturedEvent event(String logger, String message) throws InterruptedException {
    return CapturedLogs.await(
            e -> e.logger().equals(logger) && e.message().equals(message), Duration.ofSeconds(5))
        .orElseThrow(() -> new AssertionError("no log event \"" + message + "\" on " + logger));
  }

  private static CapturedEvent event(String message) throws InterruptedException {
    return CapturedLogs.await(
            e -> e.logger().equals("plugin.json-logger") && e.message().equals(message),
            Duration.ofSeconds(5))
        .orElseThrow(() -> new AssertionError("no log event \"" + message + "\""));
  }
}
