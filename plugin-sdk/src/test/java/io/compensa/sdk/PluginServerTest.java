package io.compensa.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensableServiceGrpc;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.DescribeRequest;
import io.compensa.proto.v1.DriverServiceGrpc;
import io.compensa.proto.v1.FinalizeApplyRequest;
import io.compensa.proto.v1.FinalizeApplyResponse;
import io.compensa.proto.v1.FinalizerServiceGrpc;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.PluginCapability;
import io.compensa.proto.v1.PluginServiceGrpc;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.protocol.HandshakeLine;
import io.compensa.sdk.internal.ListenAddress;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import io.grpc.netty.shaded.io.netty.util.concurrent.FastThreadLocalThread;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin's gRPC server in this JVM, on a real Unix socket. */
class PluginServerTest {

  private static final ResourceType ECHO =
      ResourceType.builder("echo_thing")
          .compensateCreate(CompensationPolicy.HOST_INVERSE)
          .compensateUpdate(CompensationPolicy.HOST_INVERSE)
          .compensateDelete(CompensationPolicy.HOST_INVERSE)
          .sampleConfig(Map.of("say", "hi"))
          .build();

  @TempDir Path socketDir;

  private PluginServer server;
  private ManagedChannel channel;
  private final AtomicReference<String> driverThread = new AtomicReference<>();
  private final AtomicReference<Thread> driverThreadItself = new AtomicReference<>();
  private final CountDownLatch blocked = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  /** Answers Create with the config's "say" value; "fail" and "crash" exercise errors. */
  private final ResourceDriver echo =
      new ResourceDriver() {
        @Override
        public ResourceOutput create(String actionId, io.compensa.sdk.ResourceSpec spec)
            throws DriverException {
          driverThread.set(Thread.currentThread().getName());
          driverThreadItself.set(Thread.currentThread());
          Object say = spec.config().get("say");
          if ("fail".equals(say)) {
            throw DriverException.partial("half made", ResourceOutput.of("half"));
          }
          if ("crash".equals(say)) {
            throw new IllegalStateException("driver bug");
          }
          if ("block".equals(say)) {
            blocked.countDown();
            try {
              release.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return ResourceOutput.of(actionId).withOutput("said", say);
        }

        @Override
        public ReadResult read(io.compensa.sdk.ResourceSpec spec, String providerId) {
          return ReadResult.absent();
        }

        @Override
        public ResourceOutput update(
            String actionId, io.compensa.sdk.ResourceSpec desired, ResourceState prior) {
          return ResourceOutput.of(actionId);
        }

        @Override
        public void delete(String actionId, ResourceState state) {}
      };

  private void start(Optional<Finalizer> finalizer, Optional<Compensator> compensator)
      throws Exception {
    PluginDefinition definition =
        new PluginDefinition(
            "echo",
            "9.9.9",
            List.of(new TypeRegistration(ECHO, config -> echo)),
            finalizer,
            compensator,
            "K",
            "V",
            Set.of(1));
    server = new PluginServer(definition, Map.of("echo_thing", echo));
    HandshakeLine line =
        server.start(
            ListenAddress.fromEnvironment(Map.of("PLUGIN_UNIX_SOCKET_DIR", socketDir.toString())),
            1);
    channel =
        Grpc.newChannelBuilder("unix://" + line.address(), InsecureChannelCredentials.create())
            .build();
  }

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.stop();
    }
  }

  private DriverServiceGrpc.DriverServiceBlockingStub driver() {
    return DriverServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static CreateRequest create(String type, String say) {
    return CreateRequest.newBuilder()
        .setActionId("a1")
        .setResource(
            ResourceSpec.newBuilder()
                .setName("thing")
                .setType(type)
                .setConfig(
                    Struct.newBuilder()
                        .putFields("say", Value.newBuilder().setStringValue(say).build())))
        .build();
  }

  @Test
  void describeReturnsTheManifestBuiltFromTheRegistrations() throws Exception {
    start(Optional.empty(), Optional.empty());

    Manifest manifest =
        PluginServiceGrpc.newBlockingStub(channel)
            .describe(DescribeRequest.getDefaultInstance())
            .getManifest();

    assertThat(manifest.getName()).isEqualTo("echo");
    assertThat(manifest.getVersion()).isEqualTo("9.9.9");
    assertThat(manifest.getContractVersion()).isEqualTo("v1");
    assertThat(manifest.getCapabilitiesList()).isEmpty();
    assertThat(manifest.getResourceTypes(0).getName()).isEqualTo("echo_thing");
    assertThat(manifest.getResourceTypes(0).getOperationsCount()).isEqualTo(5);
    assertThat(
            manifest
                .getResourceTypes(0)
                .getSampleConfigs(0)
                .getFieldsOrThrow("say")
                .getStringValue())
        .isEqualTo("hi");
  }

  @Test
  void createReachesTheDriverOnAWorkerThreadNotOnTheEventLoop() throws Exception {
    start(Optional.empty(), Optional.empty());

    var response = driver().create(create("echo_thing", "hello"));

    assertThat(response.getOutput().getProviderId()).isEqualTo("a1");
    assertThat(response.getOutput().getOutputs().getFieldsOrThrow("said").getStringValue())
        .isEqualTo("hello");
    assertThat(driverThread.get()).startsWith("compensa-worker-");
    // Netty's thread class, so its per-thread buffer caches work there, marked as one that may
    // block
    assertThat(driverThreadItself.get())
        .isInstanceOfSatisfying(
            FastThreadLocalThread.class,
            thread -> assertThat(thread.permitBlockingCalls()).isTrue());
  }

  @Test
  void nettysLeakDetectionIsOffUnlessThePluginsJvmSetsIt() throws Exception {
    ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
    try {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
      System.setProperty(PluginServer.LEAK_DETECTION_PROPERTY, "simple");
      PluginServer.disableLeakDetectionUnlessAsked();
      assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.SIMPLE);

      System.clearProperty(PluginServer.LEAK_DETECTION_PROPERTY);
      start(Optional.empty(), Optional.empty());
      assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
    } finally {
      System.clearProperty(PluginServer.LEAK_DETECTION_PROPERTY);
      ResourceLeakDetector.setLevel(before);
    }
  }

  @Test
  void aDriverThatBlocksStallsNoOtherCall() throws Exception {
    start(Optional.empty(), Optional.empty());
    var slow =
        DriverServiceGrpc.newFutureStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .create(create("echo_thing", "block"));
    assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();

    var read =
        driver()
            .read(
                io.compensa.proto.v1.ReadRequest.newBuilder()
                    .setResource(ResourceSpec.newBuilder().setName("other").setType("echo_thing"))
                    .setProviderId("p")
                    .build());

    assertThat(read.getExists()).isFalse();
    assertThat(slow.isDone()).isFalse();
    release.countDown();
    assertThat(slow.get(30, TimeUnit.SECONDS).getOutput().getProviderId()).isEqualTo("a1");
  }

  @Test
  void aCallCancelledWhileItsDriverRunsLeavesTheServerServing() throws Exception {
    start(Optional.empty(), Optional.empty());
    var slow = DriverServiceGrpc.newFutureStub(channel).create(create("echo_thing", "block"));
    assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();

    slow.cancel(true);
    release.countDown();

    assertThat(slow.isCancelled()).isTrue();
    assertThat(
            driver()
                .create(create("echo_thing", "after"))
                .getOutput()
                .getOutputs()
                .getFieldsOrThrow("said")
                .getStringValue())
        .isEqualTo("after");
  }

  @Test
  void anUnknownTypeIsAnInvalidArgumentNamingTheKnownTypes() throws Exception {
    start(Optional.empty(), Optional.empty());

    assertThatThrownBy(() -> driver().create(create("mystery_type", "x")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .contains("\"mystery_type\"")
                  .contains("[echo_thing]");
            });
  }

  @Test
  void aDriverExceptionArrivesAsAStatusWithItsDriverError() throws Exception {
    start(Optional.empty(), Optional.empty());

    assertThatThrownBy(() -> driver().create(create("echo_thing", "fail")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              com.google.rpc.Status status = StatusProto.fromThrowable(e);
              assertThat(status.getDetails(0).is(io.compensa.proto.v1.DriverError.class)).isTrue();
              try {
                var detail = status.getDetails(0).unpack(io.compensa.proto.v1.DriverError.class);
                assertThat(detail.getMessage()).isEqualTo("half made");
                assertThat(detail.getPartialOutput().getProviderId()).isEqualTo("half");
              } catch (com.google.protobuf.InvalidProtocolBufferException impossible) {
                throw new AssertionError(impossible);
              }
            });
  }

  @Test
  void anUnexpectedDriverExceptionIsAnInternalError() throws Exception {
    start(Optional.empty(), Optional.empty());

    assertThatThrownBy(() -> driver().create(create("echo_thing", "crash")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
              assertThat(e.getStatus().getDescription()).contains("driver bug");
            });
  }

  @Test
  void finalizerAndCompensatorAreUnimplementedUnlessRegistered() throws Exception {
    start(Optional.empty(), Optional.empty());

    assertThatThrownBy(
            () ->
                FinalizerServiceGrpc.newBlockingStub(channel)
                    .finalizeApply(FinalizeApplyRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    assertThatThrownBy(
            () ->
                CompensableServiceGrpc.newBlockingStub(channel)
                    .compensate(io.compensa.proto.v1.CompensateRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
  }

  @Test
  void aRegisteredFinalizerIsServedAndDeclared() throws Exception {
    Finalizer finalizer =
        (planId, outcomes) ->
            FinalizeResult.ok()
                .withError("", "plan " + planId + " had " + outcomes.size() + " outcomes")
                .withCompensated(outcomes.get(0).actionId(), "flush rolled back");
    start(Optional.of(finalizer), Optional.empty());

    FinalizeApplyResponse response =
        FinalizerServiceGrpc.newBlockingStub(channel)
            .finalizeApply(
                FinalizeApplyRequest.newBuilder()
                    .setPlanId("p1")
                    .addOutcomes(
                        ActionOutcome.newBuilder()
                            .setActionId("a1")
                            .setResourceName("thing")
                            .setKind(io.compensa.proto.v1.ActionKind.ACTION_KIND_CREATE)
                            .setStatus(ActionStatus.ACTION_STATUS_SUCCESS))
                    .build());

    assertThat(response.getErrors(0).getMessage()).isEqualTo("plan p1 had 1 outcomes");
    assertThat(response.getAmendments(0).getActionId()).isEqualTo("a1");
    assertThat(response.getAmendments(0).getStatus())
        .isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
    assertThat(
            PluginServiceGrpc.newBlockingStub(channel)
                .describe(DescribeRequest.getDefaultInstance())
                .getManifest()
                .getCapabilitiesList())
        .containsExactly(PluginCapability.PLUGIN_CAPABILITY_FINALIZER);
  }
}
