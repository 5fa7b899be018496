package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.compensa.host.manifest.InvalidManifestException;
import io.compensa.host.testing.LocalFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin whose manifest the host cannot honour is refused at launch and stopped. */
class ManifestRefusalTest {
  @TempDir Path dir;

  @Test
  void pluginCompensationWithoutCompensableServiceIsRefusedAndThePluginKilled() throws Exception {
    Path pidFile = dir.resolve("pid");
    LaunchOptions options =
        LaunchOptions.builder(
                List.of(
                    LocalFs.java(),
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    BadManifestPlugin.class.getName()))
            .name("bad")
            .environment("FAKE_PID_FILE", pidFile.toString())
            .startTimeout(Duration.ofSeconds(30))
            .build();

    PluginLaunchException failure =
        catchThrowableOfType(
            PluginLaunchException.class, () -> new PluginLauncher().launch(options));

    assertThat(failure.getCause()).isInstanceOf(InvalidManifestException.class);
    assertThat(failure)
        .hasMessageContaining("the manifest of plugin bad is invalid")
        .hasMessageContaining(
            "resource type bucket declares PLUGIN compensation for create but the plugin does not"
                + " serve CompensableService");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
  }
}
