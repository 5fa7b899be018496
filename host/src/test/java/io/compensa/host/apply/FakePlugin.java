package io.compensa.host.apply;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.host.endpoint.DriverCallException;
import io.compensa.host.endpoint.PluginEndpoint;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensateRequest;
import io.compensa.proto.v1.CompensateResponse;
import io.compensa.proto.v1.CompensationPolicies;
import io.compensa.proto.v1.CompensationPolicy;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.CreateResponse;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.DeleteResponse;
import io.compensa.proto.v1.DiffRequest;
import io.compensa.proto.v1.DiffResponse;
import io.compensa.proto.v1.FinalizeApplyRequest;
import io.compensa.proto.v1.FinalizeApplyResponse;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.Operation;
import io.compensa.proto.v1.PluginCapability;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ReadResponse;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceType;
import io.compensa.proto.v1.UpdateRequest;
import io.compensa.proto.v1.UpdateResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-memory plugin for unit tests of the engine: a "world" of resources keyed by provider id,
 * with failures injected per call and resource name. Process-level behaviour is tested elsewhere
 * through real plugins.
 */
final class FakePlugin implements PluginEndpoint {
  final Map<String, Struct> world = new ConcurrentHashMap<>();
  final Set<String> failing = ConcurrentHashMap.newKeySet();
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger ids = new AtomicInteger();
  Function<FinalizeApplyRequest, FinalizeApplyResponse> finalizer =
      r -> FinalizeApplyResponse.getDefaultInstance();
  boolean compensateFails;

  /** Calls ({@code Create:name}) that take effect, then "crash" the plugin, the first time only. */
  final Set<String> crashingAfter = ConcurrentHashMap.newKeySet();

  private final Map<String, String> createdBy = new ConcurrentHashMap<>();
  private Manifest manifest;

  FakePlugin(
      String typeName,
      CompensationPolicy create,
      CompensationPolicy update,
      CompensationPolicy delete) {
    this.manifest =
        Manifest.newBuilder()
            .setName("fake")
            .setVersion("1")
            .setContractVersion("v1")
            .addResourceTypes(
                ResourceType.newBuilder()
                    .setName(typeName)
                    .addAllOperations(
                        List.of(
                            Operation.OPERATION_CREATE,
                            Operation.OPERATION_READ,
                            Operation.OPERATION_UPDATE,
                            Operation.OPERATION_DELETE))
                    .setCompensation(
                        CompensationPolicies.newBuilder()
                            .setCreate(create)
                            .setUpdate(update)
                            .setDelete(delete)))
            .addCapabilities(PluginCapability.PLUGIN_CAPABILITY_COMPENSABLE)
            .addCapabilities(PluginCapability.PLUGIN_CAPABILITY_FINALIZER)
            .build();
  }

  /** This plugin's type without the READ operation, as a plugin in another language may be. */
  FakePlugin withoutRead() {
    Manifest.Builder changed = manifest.toBuilder();
    ResourceType.Builder type = changed.getResourceTypesBuilder(0);
    List<Operation> operations = new ArrayList<>(type.getOperationsList());
    operations.remove(Operation.OPERATION_READ);
    type.clearOperations().addAllOperations(operations);
    manifest = changed.build();
    return this;
  }

  /**
   * Makes calls named {@code call} (Create, Update, Delete, Compensate) fail for resource {@code
   * name}.
   */
  FakePlugin failing(String call, String name) {
    failing.add(call + ":" + name);
    return this;
  }

  private void maybeFail(String call, String name) throws DriverCallException {
    calls.add(call + ":" + name);
    if (failing.contains(call + ":" + name)) {
      throw new DriverCallException("injected " + call + " failure for " + name);
    }
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public Manifest manifest() {
    return manifest;
  }

  @Override
  public CreateResponse create(CreateRequest request) throws DriverCallException {
    String name = request.getResource().getName();
    maybeFail("Create", name);
    String made = createdBy.get(request.getActionId());
    if (made != null && world.containsKey(made)) {
      // a repeated Create with the same action id answers with what the first one made
      return CreateResponse.newBuilder()
          .setOutput(ResourceOutput.newBuilder().setProviderId(made))
          .build();
    }
    String id = name + "#" + ids.incrementAndGet();
    world.put(id, request.getResource().getConfig());
    createdBy.put(request.getActionId(), id);
    if (crashingAfter.remove("Create:" + name)) {
      throw new DriverCallException(
          "plugin fake crashed (injected, after the Create took effect)",
          false,
          null,
          false,
          null,
          true);
    }
    return CreateResponse.newBuilder()
        .setOutput(ResourceOutput.newBuilder().setProviderId(id))
        .build();
  }

  @Override
  public ReadResponse read(ReadRequest request) {
    boolean exists = world.containsKey(request.getProviderId());
    return ReadResponse.newBuilder().setExists(exists).build();
  }

  @Override
  public UpdateResponse update(UpdateRequest request) throws DriverCallException {
    String name = request.getResource().getName();
    maybeFail(request.getActionId().endsWith("/compensate") ? "UpdateBack" : "Update", name);
    String id = request.getPrior().getOutput().getProviderId();
    world.put(id, request.getResource().getConfig());
    return UpdateResponse.newBuilder()
        .setOutput(ResourceOutput.newBuilder().setProviderId(id))
        .build();
  }

  @Override
  public DeleteResponse delete(DeleteRequest request) throws DriverCallException {
    String name = request.getState().getName();
    maybeFail(request.getActionId().endsWith("/compensate") ? "DeleteBack" : "Delete", name);
    world.remove(request.getState().getOutput().getProviderId());
    return DeleteResponse.getDefaultInstance();
  }

  @Override
  public DiffResponse diff(DiffRequest request) {
    boolean same = request.getDesired().getConfig().equals(request.getPrior().getConfig());
    return DiffResponse.newBuilder()
        .setChange(same ? DiffResponse.Change.CHANGE_NONE : DiffResponse.Change.CHANGE_UPDATE)
        .build();
  }

  @Override
  public CompensateResponse compensate(CompensateRequest request) {
    calls.add("Compensate:" + request.getAction().getResource().getName());
    if (compensateFails) {
      return CompensateResponse.newBuilder()
          .setStatus(ActionStatus.ACTION_STATUS_COMPENSATION_FAILED)
          .setDetail("cannot")
          .build();
    }
    switch (request.getAction().getKind()) {
      case ACTION_KIND_CREATE:
        world.remove(request.getDriverOutput().getProviderId());
        break;
      case ACTION_KIND_UPDATE:
        world.put(
            request.getPriorState().getOutput().getProviderId(),
            request.getPriorState().getConfig());
        break;
      default:
        break;
    }
    return CompensateResponse.newBuilder()
        .setStatus(ActionStatus.ACTION_STATUS_COMPENSATED)
        .setDetail("undone")
        .build();
  }

  @Override
  public FinalizeApplyResponse finalizeApply(FinalizeApplyRequest request) {
    calls.add("FinalizeApply");
    return finalizer.apply(request);
  }

  static Struct config(String key, String value) {
    return Struct.newBuilder()
        .putFields(key, Value.newBuilder().setStringValue(value).build())
        .build();
  }
}
