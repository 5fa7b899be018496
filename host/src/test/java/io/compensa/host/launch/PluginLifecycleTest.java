package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.compensa.host.client.PluginCallException;
import io.compensa.host.client.PluginCrashedException;
import io.compensa.host.testing.Await;
import io.compensa.host.testing.FakePlugins;
import io.compensa.host.testing.LocalFs;
import io.compensa.proto.v1.ReadRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How plugins stop: on the host's request with everything they started, or by crashing. */
class PluginLifecycleTest {
  @TempDir Path root;

  private final PluginLauncher launcher = new PluginLauncher();

  @Test
  void afterCloseNeitherThePluginNorAnyProcessItStartedIsAlive() throws Exception {
    Path wrapper = FakePlugins.install("spawns-grandchild", root);
    Path pidFile = root.resolve("sleep.pid");
    List<ProcessHandle> started = new ArrayList<>();

    LaunchedPlugin plugin =
        launcher.launch(
            LocalFs.options(LocalFs.commandAfter(wrapper), root)
                .environment("FAKE_PID_FILE", pidFile.toString())
                .build());
    ProcessHandle bash = ProcessHandle.of(plugin.pid()).orElseThrow();
    started.add(bash);
    bash.descendants().forEach(started::add);
    long sleepPid = Long.parseLong(Files.readString(pidFile).strip());
    assertThat(started).extracting(ProcessHandle::pid).contains(sleepPid);
    assertThat(started).hasSizeGreaterThanOrEqualTo(3);

    plugin.close();

    assertThat(started).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void closeIsIdempotent() {
    LaunchedPlugin plugin = launcher.launch(LocalFs.options(LocalFs.command(), root).build());
    plugin.close();
    plugin.close();

    assertThat(plugin.isAlive()).isFalse();
    assertThat(plugin.crash()).isEmpty();
    PluginCallException afterClose =
        catchThrowableOfType(
            PluginCallException.class,
            () -> plugin.client().read(ReadRequest.getDefaultInstance()));
    assertThat(afterClose).isNotInstanceOf(PluginCrashedException.class);
    assertThat(afterClose).hasMessageContaining("the host has closed the plugin");
  }

  @Test
  void aCallAfterThePluginWasKilledIsACrashWithExitCodeAndStderrTail() throws Exception {
    try (LaunchedPlugin plugin =
        launcher.launch(LocalFs.options(LocalFs.command(), root).build())) {
      ProcessHandle process = ProcessHandle.of(plugin.pid()).orElseThrow();

      process.destroyForcibly();
      process.onExit().get(10, TimeUnit.SECONDS);

      PluginCrashedException crash =
          catchThrowableOfType(
              PluginCrashedException.class,
              () -> plugin.client().read(ReadRequest.getDefaultInstance()));
      assertThat(crash.exitCode()).isEqualTo(137);
      assertThat(crash.stderrTail()).isNotEmpty();
      assertThat(crash).hasMessageContaining("plugin localfs crashed (exit code 137)");
      assertThat(plugin.crash()).isPresent();
    }
  }

  @Test
  void callsInFlightWhenThePluginDiesFailAsACrash() throws Exception {
    try (LaunchedPlugin plugin =
        launcher.launch(LocalFs.options(LocalFs.command(), root).build())) {
      AtomicBoolean firstCallDone = new AtomicBoolean();
      CompletableFuture<RuntimeException> caller =
          CompletableFuture.supplyAsync(
              () -> {
                while (true) {
                  try {
                    plugin
                        .client()
                        .read(
                            ReadRequest.newBuilder()
                                .setResource(LocalFsLaunchTest.file("r", "r.txt", ""))
                                .build());
                    firstCallDone.set(true);
                  } catch (RuntimeException failure) {
                    return failure;
                  }
                }
              });
      // a caller that failed before any call went through ends the wait too (and the test, below)
      Await.until(
          "a first call to come back",
          Duration.ofSeconds(60),
          () -> firstCallDone.get() || caller.isDone());
      assertThat(caller).as("the calls before the kill went through").isNotDone();

      ProcessHandle.of(plugin.pid()).orElseThrow().destroyForcibly();

      RuntimeException failure = caller.get(20, TimeUnit.SECONDS);
      assertThat(failure).isInstanceOf(PluginCrashedException.class);
      assertThat(((PluginCrashedException) failure).exitCode()).isEqualTo(137);
    }
  }

  @Test
  void startedWithoutTheCookieThePluginExplainsItselfAndExitsNonZero() throws Exception {
    ProcessBuilder direct = new ProcessBuilder(LocalFs.command());
    direct.environment().remove("COMPENSA_PLUGIN_MAGIC_COOKIE");
    direct.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process = direct.start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isNotZero();
    assertThat(stderr).contains("This binary is a Compensa plugin").contains("Compensa host");
  }
}
