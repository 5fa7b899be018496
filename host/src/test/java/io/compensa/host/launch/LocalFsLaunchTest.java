package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.host.client.PluginCallException;
import io.compensa.host.client.PluginClient;
import io.compensa.host.testing.CapturedEvent;
import io.compensa.host.testing.CapturedLogs;
import io.compensa.host.testing.FakePlugins;
import io.compensa.host.testing.LocalFs;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.UpdateRequest;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/** The real localfs plugin, launched as a process over both transports and driven through CRUD. */
class LocalFsLaunchTest {
  @TempDir Path root;

  private final PluginLauncher launcher = new PluginLauncher();

  @Test
  void launchesOverAUnixSocketWhoseDirectoryIsGoneOnceConnected() throws Exception {
    Path socketDirectory;
    try (LaunchedPlugin plugin =
        launcher.launch(LocalFs.options(LocalFs.command(), root).build())) {
      assertThat(plugin.handshake().network()).isEqualTo("unix");
      assertThat(plugin.handshake().address())
          .startsWith("/tmp/cpa" + ProcessHandle.current().pid() + ".");
      assertThat(plugin.handshake().address().getBytes(java.nio.charset.StandardCharsets.UTF_8))
          .hasSizeLessThan(108);
      socketDirectory = Path.of(plugin.handshake().address()).getParent();
      // connected: the name is removed, so a host killed now leaves nothing in /tmp
      assertThat(socketDirectory).doesNotExist();
      assertThat(plugin.manifest().getName()).isEqualTo("localfs");
      // the connection lives on without its name
      for (int call = 0; call < 3; call++) {
        assertThat(plugin.client().describe().getResourceTypesList())
            .extracting(type -> type.getName())
            .contains("localfs_file", "localfs_directory");
      }
    }
    assertThat(socketDirectory).doesNotExist();
  }

  @Test
  void theSocketDirectoryIsPrivateAndLeftoversOfDeadHostsAreRemoved() throws Exception {
    SocketDirectory made = SocketDirectory.create(root);
    assertThat(Files.getPosixFilePermissions(made.path()))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    assertThat(made.path().getFileName().toString())
        .startsWith("cpa" + ProcessHandle.current().pid() + ".");
    // a host that died before it connected: a process id no process has now
    long dead = deadPid();
    Path leftover = Files.createDirectory(root.resolve("cpa" + dead + ".123"));
    Files.writeString(leftover.resolve("plugin42"), "");
    Path unrelated = Files.createDirectory(root.resolve("cpa-not-ours"));
    assertThat(SocketDirectory.removeLeftovers(root)).isEqualTo(1);
    assertThat(leftover).doesNotExist();
    assertThat(made.path()).as("the directory of this live host stays").exists();
    assertThat(unrelated).exists();
    made.delete();
    assertThat(made.path()).doesNotExist();
  }

  private static long deadPid() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    long pid = gone.pid();
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    return pid;
  }

  @Test
  void launchesOverTcpOnLoopbackWithinThePortRange() {
    LaunchOptions options =
        LocalFs.options(LocalFs.command(), root)
            .transport(LaunchOptions.Transport.TCP)
            .portRange(20000, 20999)
            .build();
    try (LaunchedPlugin plugin = launcher.launch(options)) {
      assertThat(plugin.handshake().network()).isEqualTo("tcp");
      assertThat(plugin.handshake().address()).startsWith("127.0.0.1:");
      int port = Integer.parseInt(plugin.handshake().address().substring("127.0.0.1:".length()));
      assertThat(port).isBetween(20000, 20999);
      assertThat(plugin.manifest().getName()).isEqualTo("localfs");
    }
  }

  @Test
  void createReadUpdateAndDeleteChangeTheFileOnDisk() throws Exception {
    try (LaunchedPlugin plugin =
        launcher.launch(LocalFs.options(LocalFs.command(), root).build())) {
      PluginClient client = plugin.client();
      ResourceSpec spec = file("greeting", "hello.txt", "hello\n");

      ResourceOutput created =
          client
              .create(CreateRequest.newBuilder().setActionId("a1").setResource(spec).build())
              .getOutput();
      assertThat(root.resolve("hello.txt")).hasContent("hello\n");

      assertThat(
              client
                  .read(
                      ReadRequest.newBuilder()
                          .setResource(spec)
                          .setProviderId(created.getProviderId())
                          .build())
                  .getExists())
          .isTrue();

      ResourceState state = state(spec, created);
      client.update(
          UpdateRequest.newBuilder()
              .setActionId("a2")
              .setResource(file("greeting", "hello.txt", "hello again\n"))
              .setPrior(state)
              .build());
      assertThat(root.resolve("hello.txt")).hasContent("hello again\n");

      client.delete(DeleteRequest.newBuilder().setActionId("a3").setState(state).build());
      assertThat(root.resolve("hello.txt")).doesNotExist();
      assertThat(
              client
                  .read(
                      ReadRequest.newBuilder()
                          .setResource(spec)
                          .setProviderId(created.getProviderId())
                          .build())
                  .getExists())
          .isFalse();
    }
  }

  @Test
  void deletingAFileThatIsAlreadyGoneSucceeds() {
    try (LaunchedPlugin plugin =
        launcher.launch(LocalFs.options(LocalFs.command(), root).build())) {
      ResourceSpec spec = file("ghost", "ghost.txt", "boo\n");
      ResourceState gone =
          state(spec, ResourceOutput.newBuilder().setProviderId("ghost.txt").build());

      plugin.client().delete(DeleteRequest.newBuilder().setActionId("d1").setState(gone).build());

      assertThat(root.resolve("ghost.txt")).doesNotExist();
    }
  }

  @Test
  void aRepeatedCreateWithTheSameActionIdDoesNotCreateTwice() throws Exception {
    try (LaunchedPlugin plugin =
        launcher.launch(LocalFs.options(LocalFs.command(), root).build())) {
      ResourceSpec spec = file("once", "once.txt", "only once\n");
      CreateRequest create = CreateRequest.newBuilder().setActionId("c1").setResource(spec).build();

      ResourceOutput first = plugin.client().create(create).getOutput();
      ResourceOutput again = plugin.client().create(create).getOutput();

      assertThat(again.getProviderId()).isEqualTo(first.getProviderId());
      assertThat(root.resolve("once.txt")).hasContent("only once\n");
      try (var files = Files.list(root)) {
        assertThat(files.filter(p -> !p.getFileName().toString().startsWith("."))).hasSize(1);
      }

      PluginCallException conflict =
          catchThrowableOfType(
              PluginCallException.class,
              () -> plugin.client().create(create.toBuilder().setActionId("c2").build()));
      assertThat(conflict.status().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
      assertThat(conflict.driverError()).isPresent();
      assertThat(conflict).hasMessageContaining("already exists and action c2 did not create it");
    }
  }

  @Test
  void linesPrintedBeforeTheHandshakeAreToleratedAndReported() throws Exception {
    Path wrapper = FakePlugins.install("prints-then-execs", root);

    try (LaunchedPlugin plugin =
        launcher.launch(
            LocalFs.options(LocalFs.commandAfter(wrapper), root).name("chatty").build())) {
      assertThat(plugin.manifest().getName()).isEqualTo("localfs");
    }

    CapturedEvent warning =
        CapturedLogs.await(
                e ->
                    e.logger().equals("plugin.chatty")
                        && e.message().startsWith("plugin printed before its handshake"),
                Duration.ofSeconds(1))
            .orElseThrow();
    assertThat(warning.level()).isEqualTo(Level.WARN);
    assertThat(warning.message()).contains("Picked up JAVA_TOOL_OPTIONS: nothing really");
  }

  @Test
  void thePluginsJsonLogLineArrivesInTheHostLogWithItsLevelAndFields() throws Exception {
    try (LaunchedPlugin plugin =
        launcher.launch(LocalFs.options(LocalFs.command(), root).name("logging-fs").build())) {
      plugin
          .client()
          .create(
              CreateRequest.newBuilder()
                  .setActionId("log1")
                  .setResource(file("logged", "logged.txt", "x"))
                  .build());

      CapturedEvent created =
          CapturedLogs.await(
                  e -> e.logger().equals("plugin.logging-fs") && e.message().equals("created file"),
                  Duration.ofSeconds(10))
              .orElseThrow(() -> new AssertionError("the plugin's \"created file\" never arrived"));
      assertThat(created.level()).isEqualTo(Level.INFO);
      assertThat(created.fields())
          .containsEntry("path", "logged.txt")
          .containsEntry("action", "log1");
    }
  }

  @Test
  void aWrongCookieFailsTheLaunchWithThePluginsOwnExplanation() {
    PluginLaunchException failure =
        catchThrowableOfType(
            PluginLaunchException.class,
            () ->
                launcher.launch(
                    LocalFs.options(LocalFs.command(), root)
                        .magicCookie("COMPENSA_PLUGIN_MAGIC_COOKIE", "not-the-cookie")
                        .build()));

    assertThat(failure.exitCode()).isPresent();
    assertThat(failure.exitCode().getAsInt()).isNotZero();
    assertThat(String.join("\n", failure.stderrTail()))
        .contains("This binary is a Compensa plugin");
  }

  static ResourceSpec file(String name, String path, String content) {
    return ResourceSpec.newBuilder()
        .setName(name)
        .setType("localfs_file")
        .setConfig(
            Struct.newBuilder()
                .putAllFields(
                    Map.of(
                        "path", Value.newBuilder().setStringValue(path).build(),
                        "content", Value.newBuilder().setStringValue(content).build())))
        .build();
  }

  static ResourceState state(ResourceSpec spec, ResourceOutput output) {
    return ResourceState.newBuilder()
        .setName(spec.getName())
        .setType(spec.getType())
        .setConfig(spec.getConfig())
        .setOutput(output)
        .build();
  }
}
