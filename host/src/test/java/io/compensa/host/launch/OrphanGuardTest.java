package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.testing.FakePlugins;
import io.compensa.host.testing.LocalFs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** However the host JVM ends, no plugin process it launched outlives it. */
class OrphanGuardTest {
  @TempDir Path root;

  private final List<ProcessHandle> started = new ArrayList<>();

  @Test
  void aHostKilledWithSigkillLeavesNoPluginRunning() throws Exception {
    Process host = startHost("wait");
    try {
      ProcessHandle plugin = ProcessHandle.of(pluginPid(host)).orElseThrow();
      started.add(plugin);

      host.destroyForcibly();
      host.waitFor(10, TimeUnit.SECONDS);

      // no shutdown hook ran: only the plugin's own orphan guard can end it
      assertThat(deadWithin(plugin, Duration.ofSeconds(15)))
          .as("plugin %d still running after its host was killed", plugin.pid())
          .isTrue();
    } finally {
      host.destroyForcibly();
    }
  }

  @Test
  void aHostThatExitsWithoutClosingItsPluginKillsItAndItsChildrenFromTheShutdownHook()
      throws Exception {
    Path wrapper = FakePlugins.install("spawns-grandchild", root);
    Path pidFile = root.resolve("sleep.pid");
    Process host = startHost("exit", wrapper.toString(), pidFile);
    try {
      ProcessHandle plugin = ProcessHandle.of(pluginPid(host)).orElseThrow();
      ProcessHandle sleep =
          ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).orElseThrow();
      started.add(plugin);
      started.add(sleep);

      assertThat(host.waitFor(20, TimeUnit.SECONDS)).isTrue();

      // the sleep is no Compensa plugin and has no orphan guard: only the hook can end it. A killed
      // process lingers until it is reaped, hence the short wait.
      assertThat(deadWithin(sleep, Duration.ofSeconds(2)))
          .as("the plugin's child %d outlived the host", sleep.pid())
          .isTrue();
      assertThat(deadWithin(plugin, Duration.ofSeconds(2)))
          .as("plugin %d outlived the host", plugin.pid())
          .isTrue();
    } finally {
      host.destroyForcibly();
    }
  }

  @AfterEach
  void killLeftovers() {
    started.forEach(ProcessHandle::destroyForcibly);
  }

  private static boolean deadWithin(ProcessHandle process, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return !process.isAlive();
  }

  private Process startHost(String mode) throws IOException {
    return startHost(mode, null, null);
  }

  private Process startHost(String mode, String wrapper, Path pidFile) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                LocalFs.java(),
                "-cp",
                System.getProperty("java.class.path"),
                OrphaningHost.class.getName(),
                root.toString(),
                mode));
    if (wrapper != null) {
      command.add(wrapper);
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(hostStderr().toFile());
    if (pidFile != null) {
      builder.environment().put("FAKE_PID_FILE", pidFile.toString());
    }
    return builder.start();
  }

  private long pluginPid(Process host) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line)
        .as(() -> "the host printed no pid; its stderr: " + read(hostStderr()))
        .isNotNull();
    return Long.parseLong(line.strip());
  }

  private Path hostStderr() {
    return root.resolve("host-stderr.txt");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
