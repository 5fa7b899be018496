package io.compensa.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import io.compensa.host.launch.LaunchOptions;
import io.compensa.host.launch.LaunchedPlugin;
import io.compensa.host.launch.PluginLauncher;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ResourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SDK's packaging prepares at build time, seen in a launched Java plugin. */
@DisplayName("Java plugin packaging (localfs)")
class JavaPluginPackagingTest {
  @TempDir Path root;

  @Test
  void theLaunchedPluginLoadsNettysEpollLibraryFromTheDirectoryItsBuildPrepared()
      throws Exception {
    Interop.require(Interop.LOCALFS_JAR, false, "the localfs plugin's jar",
        "mvn -pl sample-plugins/localfs -am package");
    Path prepared = Interop.LOCALFS_JAR.resolveSibling("compensa-localfs-native");
    assertThat(prepared).isDirectory();

    try (LaunchedPlugin plugin = new PluginLauncher().launch(
        LaunchOptions.builder(List.of(Interop.LOCALFS_PLUGIN.toString()))
            .pluginConfigJson(Interop.rootConfig(root))
            .transport(LaunchOptions.Transport.UNIX)
            .build())) {
      plugin.client().read(ReadRequest.newBuilder().setActionId("a1")
          .setResource(ResourceSpec.newBuilder().setName("f").setType("localfs_file")
              .setConfig(Struct.getDefaultInstance()))
          .setProviderId("absent").build());

      // the shared objects the plugin's JVM has mapped: the epoll library is the prepared copy,
      // not one Netty extracted to a temporary file
      List<String> epoll = Files.readAllLines(Path.of("/proc/" + plugin.pid() + "/maps")).stream()
          .filter(line -> line.contains("netty_transport_native_epoll"))
          .map(line -> line.substring(line.indexOf('/')))
          .distinct()
          .toList();
      assertThat(epoll).isNotEmpty()
          .allSatisfy(path -> assertThat(Path.of(path).getParent().toRealPath())
              .isEqualTo(prepared.toRealPath()));
    }
  }
}
