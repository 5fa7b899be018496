package io.compensa.sdk.testkit.inprocess;

import io.compensa.proto.v1.CompensableServiceGrpc;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.DescribeRequest;
import io.compensa.proto.v1.DiffRequest;
import io.compensa.proto.v1.DriverServiceGrpc;
import io.compensa.proto.v1.FinalizeApplyRequest;
import io.compensa.proto.v1.FinalizerServiceGrpc;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.PluginServiceGrpc;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.UpdateRequest;
import io.compensa.sdk.CompensaPlugin;
import io.compensa.sdk.CompensationRequest;
import io.compensa.sdk.CompensationResult;
import io.compensa.sdk.DiffResult;
import io.compensa.sdk.FinalizeResult;
import io.compensa.sdk.Outcome;
import io.compensa.sdk.PluginConfig;
import io.compensa.sdk.ReadResult;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractBlockingStub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A plugin served inside the test's own process: its Compensa services, with drivers made from the
 * given configuration, bound to a grpc-java in-process server, and called through generated stubs
 * the way the host calls a launched plugin. Each call goes through the SDK's real conversion (the
 * request is decoded into the SDK's types, the driver's answer or exception is encoded for the
 * wire) and comes back as the host would receive it: outputs as {@code google.protobuf.Struct}
 * values (every number a {@link Double}), sensitive keys as listed on the wire, and a failure as a
 * {@link DriverCallFailure} carrying the status code and the {@code DriverError} detail.
 *
 * <pre>{@code
 * try (InProcessPlugin plugin = InProcessPlugin.start(MyPlugin.plugin(), Map.of("root", dir))) {
 *   ResourceOutput created = plugin.create("a1", ResourceSpec.of("greeting", "my_file", config));
 *   assertThat(created.outputs()).containsEntry("size", 3.0);
 * }
 * }</pre>
 *
 * <p>No process, socket or port is involved, so a call takes well under a millisecond of transport.
 * Every call has a deadline ({@link #DEFAULT_DEADLINE} unless {@link #withDeadline(Duration)} says
 * otherwise): a driver that never answers fails the call with {@code DEADLINE_EXCEEDED} instead of
 * hanging the test.
 *
 * <p>Thread-safe: calls may be made from several threads at once, as a host does.
 */
public final class InProcessPlugin implements AutoCloseable {

  /** How long a call may take before it fails with {@code DEADLINE_EXCEEDED}. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

  private final String pluginName;
  private final Server server;
  private final ManagedChannel channel;
  private final Duration deadline;

  private InProcessPlugin(
      String pluginName, Server server, ManagedChannel channel, Duration deadline) {
    this.pluginName = pluginName;
    this.server = server;
    this.channel = channel;
    this.deadline = deadline;
  }

  /**
   * Serves a plugin with an empty configuration.
   *
   * @param plugin the plugin, as its {@code main} builds it
   * @return the running plugin; close it when the test ends
   * @throws IllegalArgumentException when a driver factory refuses the empty configuration
   */
  public static InProcessPlugin start(CompensaPlugin plugin) {
    return start(plugin, Map.of());
  }

  /**
   * Serves a plugin with drivers made from the given configuration, what a host passes in {@code
   * COMPENSA_PLUGIN_CONFIG}.
   *
   * @param plugin the plugin, as its {@code main} builds it
   * @param config the plugin configuration: JSON-like values (strings, numbers, booleans, lists,
   *     maps, null)
   * @return the running plugin; close it when the test ends
   * @throws IllegalArgumentException when a driver factory refuses the configuration, with the
   *     message the plugin would log before exiting
   */
  public static InProcessPlugin start(CompensaPlugin plugin, Map<String, ?> config) {
    Objects.requireNonNull(plugin, "plugin");
    @SuppressWarnings("unchecked")
    Map<String, Object> values = (Map<String, Object>) Objects.requireNonNull(config, "config");
    List<BindableService> services = plugin.services(PluginConfig.of(values));
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
    services.forEach(builder::addService);
    Server server;
    try {
      server = builder.build().start();
    } catch (IOException impossible) {
      throw new UncheckedIOException("the in-process server did not start", impossible);
    }
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    return new InProcessPlugin(plugin.name(), server, channel, DEFAULT_DEADLINE);
  }

  /**
   * Returns a view of this plugin whose calls have another deadline. Both views share the server;
   * closing either closes it.
   *
   * @param callDeadline how long each call may take
   * @return the view
   */
  public InProcessPlugin withDeadline(Duration callDeadline) {
    if (callDeadline.isNegative() || callDeadline.isZero()) {
      throw new IllegalArgumentException("a call deadline must be positive, not " + callDeadline);
    }
    return new InProcessPlugin(pluginName, server, channel, callDeadline);
  }

  /**
   * Calls {@code PluginService/Describe}.
   *
   * @return the manifest the host would read
   */
  public Manifest manifest() {
    return call(
        "Describe of plugin \"" + pluginName + "\"",
        PluginServiceGrpc.newBlockingStub(channel),
        stub -> stub.describe(DescribeRequest.getDefaultInstance()).getManifest());
  }

  /**
   * Calls {@code DriverService/Create}.
   *
   * @param actionId the plan action's id (a repeated id is the host retrying)
   * @param resource the desired resource
   * @return the output the host would record
   * @throws DriverCallFailure when the plugin answers with an error
   */
  public ResourceOutput create(String actionId, ResourceSpec resource) {
    CreateRequest request =
        CreateRequest.newBuilder()
            .setActionId(actionId)
            .setResource(WireRequests.spec(resource))
            .build();
    return call(
        describe("Create", resource.type(), resource.name()),
        DriverServiceGrpc.newBlockingStub(channel),
        stub -> WireAnswers.output(stub.create(request).getOutput()));
  }

  /**
   * Calls {@code DriverService/Read}.
   *
   * @param resource the resource as the host knows it
   * @param providerId the id the plugin returned when it made the resource
   * @return what the host would learn about the resource in the world
   * @throws DriverCallFailure when the plugin answers with an error
   */
  public ReadResult read(ResourceSpec resource, String providerId) {
    ReadRequest request =
        ReadRequest.newBuilder()
            .setResource(WireRequests.spec(resource))
            .setProviderId(providerId)
            .build();
    return call(
        describe("Read", resource.type(), resource.name()),
        DriverServiceGrpc.newBlockingStub(channel),
        stub -> WireAnswers.read(stub.read(request)));
  }

  /**
   * Calls {@code DriverService/Update}.
   *
   * @param actionId the plan action's id
   * @param resource the desired resource
   * @param prior the recorded state before the update
   * @return the output the host would record
   * @throws DriverCallFailure when the plugin answers with an error
   */
  public ResourceOutput update(String actionId, ResourceSpec resource, ResourceState prior) {
    UpdateRequest request =
        UpdateRequest.newBuilder()
            .setActionId(actionId)
            .setResource(WireRequests.spec(resource))
            .setPrior(WireRequests.state(prior))
            .build();
    return call(
        describe("Update", resource.type(), resource.name()),
        DriverServiceGrpc.newBlockingStub(channel),
        stub -> WireAnswers.output(stub.update(request).getOutput()));
  }

  /**
   * Calls {@code DriverService/Delete}.
   *
   * @param actionId the plan action's id
   * @param state the recorded state of the resource to delete
   * @throws DriverCallFailure when the plugin answers with an error
   */
  public void delete(String actionId, ResourceState state) {
    DeleteRequest request =
        DeleteRequest.newBuilder()
            .setActionId(actionId)
            .setState(WireRequests.state(state))
            .build();
    call(
        describe("Delete", state.type(), state.name()),
        DriverServiceGrpc.newBlockingStub(channel),
        stub -> stub.delete(request));
  }

  /**
   * Calls {@code DriverService/Diff}.
   *
   * @param desired the desired resource
   * @param prior the recorded state
   * @return the change the host would plan
   * @throws DriverCallFailure when the plugin answers with an error
   */
  public DiffResult diff(ResourceSpec desired, ResourceState prior) {
    DiffRequest request =
        DiffRequest.newBuilder()
            .setDesired(WireRequests.spec(desired))
            .setPrior(WireRequests.state(prior))
            .build();
    return call(
        describe("Diff", desired.type(), desired.name()),
        DriverServiceGrpc.newBlockingStub(channel),
        stub -> WireAnswers.diff(stub.diff(request)));
  }

  /**
   * Calls {@code CompensableService/Compensate}, as the host does when its own work after a
   * successful driver call failed for a type with PLUGIN compensation.
   *
   * @param request the action to undo and why
   * @return whether the plugin reports the action COMPENSATED, its detail, and what remains
   * @throws DriverCallFailure when the plugin answers with an error, or registered no compensator
   *     ({@code UNIMPLEMENTED})
   */
  public CompensationResult compensate(CompensationRequest request) {
    return call(
        "Compensate of action \"" + request.actionId() + "\"",
        CompensableServiceGrpc.newBlockingStub(channel),
        stub -> WireAnswers.compensation(stub.compensate(WireRequests.compensation(request))));
  }

  /**
   * Calls {@code FinalizerService/FinalizeApply}, as the host does once every action of a plan has
   * an outcome.
   *
   * @param planId the plan's id
   * @param outcomes every action's outcome, as the host recorded it
   * @return the errors and the COMPENSATED amendments the host would apply
   * @throws DriverCallFailure when the plugin answers with an error, or registered no finalizer
   *     ({@code UNIMPLEMENTED})
   */
  public FinalizeResult finalizeApply(String planId, List<Outcome> outcomes) {
    FinalizeApplyRequest.Builder request = FinalizeApplyRequest.newBuilder().setPlanId(planId);
    outcomes.forEach(outcome -> request.addOutcomes(WireRequests.outcome(outcome)));
    return call(
        "FinalizeApply of plan \"" + planId + "\"",
        FinalizerServiceGrpc.newBlockingStub(channel),
        stub -> WireAnswers.finalizeResult(stub.finalizeApply(request.build())));
  }

  /** Stops the server and the channel; calls in flight fail. */
  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private <S extends AbstractBlockingStub<S>, T> T call(
      String what, S stub, Function<S, T> invocation) {
    try {
      return invocation.apply(stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS));
    } catch (StatusRuntimeException failure) {
      throw DriverCallFailure.of(what, failure);
    }
  }

  private static String describe(String call, String type, String name) {
    return call + " of " + type + " \"" + name + "\"";
  }
}
