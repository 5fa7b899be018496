package io.compensa.host.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.host.client.CallDeadlines;
import io.compensa.host.client.PluginCrashedException;
import io.compensa.host.launch.LaunchOptions;
import io.compensa.host.launch.PluginLauncher;
import io.compensa.host.testing.Await;
import io.compensa.host.testing.SizedPlugin;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ResourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin killed while several calls are in flight: each of those calls fails as a crash with the
 * exit code and the stderr tail, without waiting for its deadline, and the endpoint's next call
 * relaunches the plugin. (PluginLifecycleTest covers one call on a bare LaunchedPlugin; this covers
 * several at once through the endpoint the engine uses, where one call's relaunch closes the dead
 * process under the others.)
 */
class CallsInFlightAtACrashTest {
  private static final int IN_FLIGHT = 6;

  @TempDir Path dir;

  @Test
  void
      callsInFlightWhenThePluginIsKilledAllFailAsACrashWithExitCodeAndStderrTailAndTheNextCallRelaunches()
          throws Exception {
    LaunchOptions options =
        LaunchOptions.builder(SizedPlugin.command())
            .name("sized")
            .startTimeout(Duration.ofSeconds(30))
            // far beyond the wait below: the calls can only end early because the plugin died
            .callDeadlines(CallDeadlines.builder().defaultDeadline(Duration.ofMinutes(5)).build())
            .build();
    PluginLauncher launcher = new PluginLauncher();
    Path marks = Files.createDirectories(dir.resolve("marks"));
    ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
    try (LaunchedPluginEndpoint endpoint =
        new LaunchedPluginEndpoint(launcher.launch(options), () -> launcher.launch(options), 3)) {
      long firstPid = endpoint.current().pid();
      List<CompletableFuture<Throwable>> calls = new ArrayList<>();
      for (int i = 0; i < IN_FLIGHT; i++) {
        ReadRequest slow = read("slow-" + i, 0, 10 * 60_000, marks);
        calls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    endpoint.read(slow);
                    return null;
                  } catch (DriverCallException e) {
                    return e;
                  }
                },
                pool));
      }
      // every Read has reached the plugin (each leaves a mark as it starts)
      Await.until(
          "every Read to reach the plugin",
          Duration.ofSeconds(60),
          () -> marks(marks) >= IN_FLIGHT);

      ProcessHandle.of(firstPid).orElseThrow().destroyForcibly(); // SIGKILL

      for (CompletableFuture<Throwable> call : calls) {
        Throwable failure = call.get(60, TimeUnit.SECONDS);
        assertThat(failure).isInstanceOf(DriverCallException.class);
        DriverCallException driverFailure = (DriverCallException) failure;
        assertThat(driverFailure.crashed())
            .as("reported as a crash: %s", failure.getMessage())
            .isTrue();
        assertThat(driverFailure)
            .hasMessageContaining("crashed (exit code 137)")
            .hasMessageContaining("last lines of its stderr");
        assertThat(driverFailure.getCause()).isInstanceOf(PluginCrashedException.class);
        PluginCrashedException crash = (PluginCrashedException) driverFailure.getCause();
        assertThat(crash.exitCode()).isEqualTo(137);
        assertThat(crash.stderrTail()).isNotEmpty();
      }

      assertThat(endpoint.read(read("after", 10, 0, null)).getExists()).isTrue();
      assertThat(endpoint.relaunches()).isEqualTo(1);
      assertThat(endpoint.current().pid()).isNotEqualTo(firstPid);
    } finally {
      pool.shutdownNow();
    }
  }

  static ReadRequest read(String name, int size, long sleepMillis, Path marks) {
    Struct.Builder config =
        Struct.newBuilder()
            .putFields("size", Value.newBuilder().setNumberValue(size).build())
            .putFields("sleep_ms", Value.newBuilder().setNumberValue(sleepMillis).build());
    if (marks != null) {
      config.putFields("mark_dir", Value.newBuilder().setStringValue(marks.toString()).build());
    }
    return ReadRequest.newBuilder()
        .setActionId("read-" + name)
        .setResource(
            ResourceSpec.newBuilder().setName(name).setType(SizedPlugin.TYPE).setConfig(config))
        .build();
  }

  private static long marks(Path marks) throws java.io.IOException {
    try (Stream<Path> files = Files.list(marks)) {
      return files.count();
    }
  }
}
