package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.host.client.CallDeadlines;
import io.compensa.host.testing.LocalFs;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.protocol.HandshakeLine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attaching to a plugin someone else started: the host uses it but never stops it. */
class AttachTest {
  @TempDir Path root;
  @TempDir Path socketDirectory;

  private Process started;

  @AfterEach
  void stopThePlugin() {
    if (started != null) {
      started.destroyForcibly();
    }
  }

  @Test
  void aPluginStartedElsewhereIsUsableAndStillRunsAfterClose() throws Exception {
    HandshakeLine handshake = startLocalFs();

    try (AttachedPlugin plugin =
        new PluginLauncher().attach(handshake, "localfs", CallDeadlines.defaults())) {
      assertThat(plugin.manifest().getName()).isEqualTo("localfs");
      plugin
          .client()
          .create(
              CreateRequest.newBuilder()
                  .setActionId("att1")
                  .setResource(LocalFsLaunchTest.file("attached", "attached.txt", "hi\n"))
                  .build());
    }

    assertThat(root.resolve("attached.txt")).hasContent("hi\n");
    assertThat(started.isAlive()).isTrue();
  }

  @Test
  void attachingToAnAddressNobodyServesFailsClearly() {
    HandshakeLine nobody =
        new HandshakeLine(1, "unix", socketDirectory.resolve("none.sock").toString());

    assertThatThrownBy(() -> new PluginLauncher().attach(nobody, "ghost", CallDeadlines.defaults()))
        .isInstanceOf(PluginLaunchException.class)
        .hasMessageContaining("cannot attach to plugin ghost at unix://");
  }

  private HandshakeLine startLocalFs() throws Exception {
    ProcessBuilder builder = new ProcessBuilder(LocalFs.command());
    builder.environment().put(LaunchOptions.DEFAULT_COOKIE_KEY, LaunchOptions.DEFAULT_COOKIE_VALUE);
    builder.environment().put("PLUGIN_PROTOCOL_VERSIONS", "1");
    builder.environment().put("PLUGIN_UNIX_SOCKET_DIR", socketDirectory.toString());
    builder.environment().put("COMPENSA_PLUGIN_CONFIG", "{\"root\": \"" + root + "\"}");
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    started = builder.start();
    BufferedReader stdout =
        new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8));
    return HandshakeLine.parse(stdout.readLine(), List.of(1));
  }
}
