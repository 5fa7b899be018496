package io.compensa.interop;

import static io.compensa.interop.Interop.struct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.host.client.PluginCallException;
import io.compensa.host.launch.LaunchOptions;
import io.compensa.host.launch.LaunchedPlugin;
import io.compensa.host.launch.PluginLauncher;
import io.compensa.host.testing.CapturedEvent;
import io.compensa.host.testing.CapturedLogs;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensateRequest;
import io.compensa.proto.v1.CompensateResponse;
import io.compensa.proto.v1.CompensationPolicies;
import io.compensa.proto.v1.CompensationPolicy;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.CreateResponse;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.Operation;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.PluginCapability;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ReadResponse;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.ResourceType;
import io.compensa.proto.v1.UpdateRequest;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Java host drives the Go sample plugin, built with HashiCorp go-plugin v1.8. */
@DisplayName("Java host ↔ Go plugin (go-kv, go-plugin)")
class GoPluginUnderJavaHostTest {
  @TempDir Path root;
  private LaunchedPlugin plugin;

  @BeforeEach
  void requireBinary() {
    Interop.requireGoPlugin();
  }

  @AfterEach
  void close() {
    if (plugin != null) {
      plugin.close();
    }
  }

  private LaunchedPlugin launch(LaunchOptions.Transport transport) {
    plugin =
        new PluginLauncher()
            .launch(
                LaunchOptions.builder(List.of(Interop.GO_PLUGIN.toString()))
                    .pluginConfigJson(Interop.rootConfig(root))
                    .transport(transport)
                    .build());
    return plugin;
  }

  private static ResourceSpec entry(String key, String value) {
    return ResourceSpec.newBuilder()
        .setName("entry-" + key)
        .setType("gokv_entry")
        .setConfig(struct(Map.of("key", key, "value", value)))
        .build();
  }

  private static ResourceSpec counter(String name, double value) {
    return ResourceSpec.newBuilder()
        .setName("counter-" + name)
        .setType("gokv_counter")
        .setConfig(struct(Map.of("name", name, "value", value)))
        .build();
  }

  private static ResourceState state(ResourceSpec spec, CreateResponse created) {
    return ResourceState.newBuilder()
        .setName(spec.getName())
        .setType(spec.getType())
        .setConfig(spec.getConfig())
        .setOutput(created.getOutput())
        .build();
  }

  @ParameterizedTest(name = "over {0}")
  @EnumSource(LaunchOptions.Transport.class)
  void describeShowsBothTypesWithTheirDeclaredCompensationPolicies(
      LaunchOptions.Transport transport) {
    Manifest manifest = launch(transport).manifest();

    assertThat(manifest.getName()).isEqualTo("go-kv");
    assertThat(manifest.getContractVersion()).isEqualTo("v1");
    assertThat(manifest.getCapabilitiesList())
        .contains(PluginCapability.PLUGIN_CAPABILITY_COMPENSABLE);
    Map<String, ResourceType> types =
        manifest.getResourceTypesList().stream()
            .collect(Collectors.toMap(ResourceType::getName, Function.identity()));
    assertThat(types).containsOnlyKeys("gokv_entry", "gokv_counter");
    CompensationPolicy hostInverse = CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE;
    CompensationPolicy byPlugin = CompensationPolicy.COMPENSATION_POLICY_PLUGIN;
    assertThat(types.get("gokv_entry").getCompensation())
        .isEqualTo(
            CompensationPolicies.newBuilder()
                .setCreate(hostInverse)
                .setUpdate(hostInverse)
                .setDelete(hostInverse)
                .build());
    assertThat(types.get("gokv_counter").getCompensation())
        .isEqualTo(
            CompensationPolicies.newBuilder()
                .setCreate(byPlugin)
                .setUpdate(byPlugin)
                .setDelete(byPlugin)
                .build());
    for (ResourceType type : types.values()) {
      assertThat(type.getOperationsList())
          .contains(
              Operation.OPERATION_CREATE,
              Operation.OPERATION_READ,
              Operation.OPERATION_UPDATE,
              Operation.OPERATION_DELETE,
              Operation.OPERATION_DIFF);
      assertThat(type.getSampleConfigsList()).isNotEmpty();
    }
  }

  @Test
  void entryCreateReadUpdateDeleteChangeTheFileOnDisk() throws Exception {
    var client = launch(LaunchOptions.Transport.UNIX).client();
    ResourceSpec spec = entry("greeting", "hello");
    Path file = root.resolve("greeting");

    CreateResponse created =
        client.create(CreateRequest.newBuilder().setActionId("a-create").setResource(spec).build());
    assertThat(created.getOutput().getProviderId()).isEqualTo("greeting");
    assertThat(file).hasContent("hello");

    ReadResponse read =
        client.read(ReadRequest.newBuilder().setResource(spec).setProviderId("greeting").build());
    assertThat(read.getExists()).isTrue();
    assertThat(read.getObservedConfig().getFieldsOrThrow("value").getStringValue())
        .isEqualTo("hello");

    ResourceSpec changed = entry("greeting", "bonjour");
    client.update(
        UpdateRequest.newBuilder()
            .setActionId("a-update")
            .setResource(changed)
            .setPrior(state(spec, created))
            .build());
    assertThat(file).hasContent("bonjour");

    DeleteRequest delete =
        DeleteRequest.newBuilder()
            .setActionId("a-delete")
            .setState(state(changed, created))
            .build();
    client.delete(delete);
    assertThat(file).doesNotExist();
    client.delete(delete); // deleting what is already gone succeeds
    assertThat(client.read(ReadRequest.newBuilder().setResource(spec).build()).getExists())
        .isFalse();
  }

  @Test
  void createIsIdempotentByActionIdAndRefusesAnEntryAnotherActionMade() {
    var client = launch(LaunchOptions.Transport.UNIX).client();
    CreateRequest create =
        CreateRequest.newBuilder().setActionId("a-1").setResource(entry("k", "v")).build();

    CreateResponse first = client.create(create);
    CreateResponse retried = client.create(create);

    assertThat(retried).isEqualTo(first);
    assertThatThrownBy(() -> client.create(create.toBuilder().setActionId("a-2").build()))
        .isInstanceOfSatisfying(
            PluginCallException.class,
            e -> {
              assertThat(e.status().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
              assertThat(e.driverError()).isPresent();
              assertThat(e.driverError().get().getMessage()).contains("already exists");
              assertThat(e.driverError().get().getRetryable()).isFalse();
            });
  }

  @Test
  void compensateUndoesACounterCreateAndIsIdempotent() throws Exception {
    var client = launch(LaunchOptions.Transport.UNIX).client();
    ResourceSpec spec = counter("visits", 3);
    Path file = root.resolve(".counters/visits.json");
    CreateResponse created =
        client.create(CreateRequest.newBuilder().setActionId("c-1").setResource(spec).build());
    assertThat(file).exists();
    assertThat(Files.readString(file)).contains("\"value\":3");

    CompensateRequest undo =
        CompensateRequest.newBuilder()
            .setAction(
                PlanAction.newBuilder()
                    .setId("c-1")
                    .setKind(ActionKind.ACTION_KIND_CREATE)
                    .setResource(spec))
            .setDriverOutput(created.getOutput())
            .setReason("a post-driver hook failed")
            .build();
    CompensateResponse answer = client.compensate(undo);

    assertThat(answer.getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
    assertThat(file).doesNotExist();
    assertThat(
            client
                .read(ReadRequest.newBuilder().setResource(spec).setProviderId("visits").build())
                .getExists())
        .isFalse();
    assertThat(client.compensate(undo).getStatus())
        .isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
  }

  @Test
  void compensateRestoresTheCounterAnUpdateChanged() throws Exception {
    var client = launch(LaunchOptions.Transport.TCP).client();
    ResourceSpec before = counter("hits", 1);
    CreateResponse created =
        client.create(CreateRequest.newBuilder().setActionId("c-1").setResource(before).build());
    ResourceSpec after = counter("hits", 2);
    var updated =
        client.update(
            UpdateRequest.newBuilder()
                .setActionId("c-2")
                .setResource(after)
                .setPrior(state(before, created))
                .build());
    Path file = root.resolve(".counters/hits.json");
    assertThat(Files.readString(file)).contains("\"value\":2");

    CompensateResponse answer =
        client.compensate(
            CompensateRequest.newBuilder()
                .setAction(
                    PlanAction.newBuilder()
                        .setId("c-2")
                        .setKind(ActionKind.ACTION_KIND_UPDATE)
                        .setResource(after))
                .setDriverOutput(updated.getOutput())
                .setPriorState(state(before, created))
                .setReason("a post-driver hook failed")
                .build());

    assertThat(answer.getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
    assertThat(Files.readString(file)).contains("\"value\":1");
  }

  @Test
  void closeLeavesNoProcessAlive() throws Exception {
    LaunchedPlugin launched = launch(LaunchOptions.Transport.UNIX);
    long pid = launched.pid();
    assertThat(Interop.aliveTree(pid)).isNotEmpty();

    launched.close();

    Interop.awaitGone(pid, Duration.ofSeconds(5));
    assertThat(Interop.aliveTree(pid)).isEmpty();
  }

  /**
   * go-plugin's Serve turns the plugin's stdout into a pipe that only the GRPCStdio stream drains:
   * without a host reading it, a plugin that writes more than the pipe holds (64 KiB on Linux)
   * blocks, and here Describe with it, so the launch would time out. The host opens the stream
   * first and forwards every line, in order, to the logger plugin.NAME.
   */
  @Test
  void aPluginThatWritesOneMebibyteToStdoutAfterServeNeitherBlocksNorLosesALine() throws Exception {
    int lines = 16_384; // 64 bytes each: 1 MiB
    String name = "go-kv-stdout-flood";
    String logger = "plugin." + name;
    CapturedLogs.quiet(logger, true);
    try {
      plugin =
          new PluginLauncher()
              .launch(
                  LaunchOptions.builder(List.of(Interop.GO_PLUGIN.toString()))
                      .name(name)
                      .pluginConfigJson(Interop.rootConfig(root))
                      .environment("GOKV_DIAGNOSTIC_STDOUT_LINES", Integer.toString(lines))
                      .build());

      assertThat(plugin.manifest().getName())
          .as("Describe answered: its writes to stdout did not block")
          .isEqualTo("go-kv");
      assertThat(
              CapturedLogs.await(
                  e -> e.logger().equals(logger) && e.message().startsWith("stdout line 016384 "),
                  Duration.ofSeconds(30)))
          .as("the last line arrived")
          .isPresent();
      List<String> forwarded =
          CapturedLogs.events().stream()
              .filter(e -> e.logger().equals(logger) && e.message().startsWith("stdout line "))
              .map(CapturedEvent::message)
              .toList();
      assertThat(forwarded).hasSize(lines);
      for (int i = 0; i < lines; i++) {
        assertThat(forwarded.get(i)).startsWith(String.format("stdout line %06d ", i + 1));
      }
    } finally {
      CapturedLogs.quiet(logger, false);
    }
  }

  @Test
  void exitsWhenTheProcessNamedByCompensaHostPidIsGone(@TempDir Path sockets) throws Exception {
    Process host = Interop.fakeHost();
    Process orphan = Interop.startWithHostPid(Interop.GO_PLUGIN, root, host.pid(), sockets);
    try {
      assertThat(orphan.isAlive()).isTrue();
      Interop.killAndWait(host);
      Interop.awaitGone(orphan.pid(), Duration.ofSeconds(5));
    } finally {
      orphan.destroyForcibly();
      host.destroyForcibly();
    }
  }
}
