package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.testing.LocalFs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host that dies without running any hook leaves no plugin behind. */
class OrphanGuardTest {
  @TempDir Path root;

  @Test
  void aHostKilledWithSigkillLeavesNoPluginRunning() throws Exception {
    Process host =
        new ProcessBuilder(
                List.of(
                    LocalFs.java(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    OrphaningHost.class.getName(),
                    root.toString()))
            .redirectError(root.resolve("host-stderr.txt").toFile())
            .start();
    long pluginPid;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertThat(line).as("the host's stdout; see host-stderr.txt if empty").isNotNull();
      pluginPid = Long.parseLong(line.strip());
    }
    Optional<ProcessHandle> plugin = ProcessHandle.of(pluginPid);
    assertThat(plugin).isPresent();

    host.destroyForcibly();
    host.waitFor(10, TimeUnit.SECONDS);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (plugin.get().isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    boolean orphanAlive = plugin.get().isAlive();
    plugin.get().destroyForcibly();
    assertThat(orphanAlive).as("plugin %d still running after its host was killed", pluginPid).isFalse();
  }
}
