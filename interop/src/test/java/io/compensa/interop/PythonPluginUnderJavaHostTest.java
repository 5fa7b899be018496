package io.compensa.interop;

import static io.compensa.interop.Interop.struct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.compensa.host.client.PluginCallException;
import io.compensa.host.launch.LaunchOptions;
import io.compensa.host.launch.LaunchedPlugin;
import io.compensa.host.launch.PluginLauncher;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensationPolicies;
import io.compensa.proto.v1.CompensationPolicy;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.CreateResponse;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.FinalizeApplyRequest;
import io.compensa.proto.v1.FinalizeApplyResponse;
import io.compensa.proto.v1.Manifest;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Java host drives the Python sample plugin (grpcio, no SDK). */
@DisplayName("Java host ↔ Python plugin (python-notes, grpcio)")
class PythonPluginUnderJavaHostTest {
  @TempDir Path root;
  private LaunchedPlugin plugin;

  @BeforeEach
  void requireVenv() {
    Interop.requirePythonPlugin();
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
                LaunchOptions.builder(List.of(Interop.PYTHON_PLUGIN.toString()))
                    .pluginConfigJson(Interop.rootConfig(root))
                    .transport(transport)
                    .build());
    return plugin;
  }

  @ParameterizedTest(name = "over {0}")
  @EnumSource(LaunchOptions.Transport.class)
  void withAutoMtlsThePluginAnswersWithItsCertificateAndServesTls(
      LaunchOptions.Transport transport) {
    plugin =
        new PluginLauncher()
            .launch(
                LaunchOptions.builder(List.of(Interop.PYTHON_PLUGIN.toString()))
                    .pluginConfigJson(Interop.rootConfig(root))
                    .transport(transport)
                    .autoMtls(LaunchOptions.AutoMtls.ALWAYS)
                    .build());

    assertThat(plugin.handshake().autoMtls()).as("the sixth handshake field").isTrue();
    assertThat(plugin.manifest().getName()).isEqualTo("python-notes");
    plugin.checkHealth();
  }

  private static ResourceSpec note(String title, String body) {
    return ResourceSpec.newBuilder()
        .setName("note")
        .setType("pynotes_note")
        .setConfig(struct(Map.of("title", title, "body", body)))
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

  private static JsonObject json(Path file) throws Exception {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }

  @ParameterizedTest(name = "over {0}")
  @EnumSource(LaunchOptions.Transport.class)
  void describeShowsTheNoteTypeWithHostInversePoliciesAndTheFinalizer(
      LaunchOptions.Transport transport) {
    Manifest manifest = launch(transport).manifest();

    assertThat(manifest.getName()).isEqualTo("python-notes");
    assertThat(manifest.getContractVersion()).isEqualTo("v1");
    assertThat(manifest.getCapabilitiesList())
        .containsExactly(PluginCapability.PLUGIN_CAPABILITY_FINALIZER);
    assertThat(manifest.getResourceTypesList())
        .extracting(ResourceType::getName)
        .containsExactly("pynotes_note");
    CompensationPolicy hostInverse = CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE;
    assertThat(manifest.getResourceTypes(0).getCompensation())
        .isEqualTo(
            CompensationPolicies.newBuilder()
                .setCreate(hostInverse)
                .setUpdate(hostInverse)
                .setDelete(hostInverse)
                .build());
    assertThat(manifest.getResourceTypes(0).getSampleConfigsList()).isNotEmpty();
  }

  @Test
  void noteCreateReadUpdateDeleteChangeTheJsonFileOnDisk() throws Exception {
    var client = launch(LaunchOptions.Transport.UNIX).client();
    ResourceSpec spec = note("Shopping List", "milk");
    Path file = root.resolve("shopping-list.json");

    CreateResponse created =
        client.create(CreateRequest.newBuilder().setActionId("n-1").setResource(spec).build());
    assertThat(created.getOutput().getProviderId()).isEqualTo("shopping-list");
    assertThat(json(file).get("title").getAsString()).isEqualTo("Shopping List");
    assertThat(json(file).get("body").getAsString()).isEqualTo("milk");

    ReadResponse read =
        client.read(
            ReadRequest.newBuilder().setResource(spec).setProviderId("shopping-list").build());
    assertThat(read.getExists()).isTrue();
    assertThat(read.getObservedConfig()).isEqualTo(spec.getConfig());

    ResourceSpec changed = note("Shopping List", "milk, eggs");
    client.update(
        UpdateRequest.newBuilder()
            .setActionId("n-2")
            .setResource(changed)
            .setPrior(state(spec, created))
            .build());
    assertThat(json(file).get("body").getAsString()).isEqualTo("milk, eggs");

    DeleteRequest delete =
        DeleteRequest.newBuilder().setActionId("n-3").setState(state(changed, created)).build();
    client.delete(delete);
    assertThat(file).doesNotExist();
    client.delete(delete); // deleting what is already gone succeeds
    assertThat(client.read(ReadRequest.newBuilder().setResource(spec).build()).getExists())
        .isFalse();
  }

  @Test
  void createIsIdempotentByActionIdAndErrorsCarryADriverError() {
    var client = launch(LaunchOptions.Transport.TCP).client();
    CreateRequest create =
        CreateRequest.newBuilder().setActionId("n-1").setResource(note("Todo", "x")).build();

    CreateResponse first = client.create(create);

    assertThat(client.create(create)).isEqualTo(first);
    assertThatThrownBy(() -> client.create(create.toBuilder().setActionId("n-2").build()))
        .isInstanceOfSatisfying(
            PluginCallException.class,
            e -> {
              assertThat(e.status().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
              assertThat(e.driverError()).isPresent();
              assertThat(e.driverError().get().getMessage()).contains("already exists");
            });
  }

  @Test
  void finalizeApplyWritesASummaryOfTheOutcomesItSaw() throws Exception {
    var client = launch(LaunchOptions.Transport.UNIX).client();
    FinalizeApplyRequest request =
        FinalizeApplyRequest.newBuilder()
            .setPlanId("plan-42")
            .addOutcomes(
                ActionOutcome.newBuilder()
                    .setActionId("n-1")
                    .setResourceName("note")
                    .setKind(ActionKind.ACTION_KIND_CREATE)
                    .setStatus(ActionStatus.ACTION_STATUS_SUCCESS))
            .addOutcomes(
                ActionOutcome.newBuilder()
                    .setActionId("n-2")
                    .setResourceName("other")
                    .setKind(ActionKind.ACTION_KIND_DELETE)
                    .setStatus(ActionStatus.ACTION_STATUS_SKIPPED))
            .build();

    FinalizeApplyResponse response = client.finalizeApply(request);

    assertThat(response.getErrorsList()).isEmpty();
    assertThat(response.getAmendmentsList()).isEmpty();
    JsonObject summary = json(root.resolve(".finalized/plan-42.json"));
    assertThat(summary.get("plan_id").getAsString()).isEqualTo("plan-42");
    JsonArray outcomes = summary.getAsJsonArray("outcomes");
    assertThat(outcomes).hasSize(2);
    assertThat(outcomes.get(0).getAsJsonObject().get("action_id").getAsString()).isEqualTo("n-1");
    assertThat(outcomes.get(0).getAsJsonObject().get("status").getAsString())
        .isEqualTo("ACTION_STATUS_SUCCESS");
    assertThat(outcomes.get(1).getAsJsonObject().get("status").getAsString())
        .isEqualTo("ACTION_STATUS_SKIPPED");
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

  @Test
  void exitsWhenTheProcessNamedByCompensaHostPidIsGone(@TempDir Path sockets) throws Exception {
    Process host = Interop.fakeHost();
    Process orphan = Interop.startWithHostPid(Interop.PYTHON_PLUGIN, root, host.pid(), sockets);
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
