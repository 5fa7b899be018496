package io.compensa.bench;

import io.compensa.host.endpoint.DriverCallException;
import io.compensa.host.endpoint.PluginEndpoint;
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
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ReadResponse;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceType;
import io.compensa.proto.v1.UpdateRequest;
import io.compensa.proto.v1.UpdateResponse;
import java.util.List;

/**
 * An in-process plugin whose calls return at once, so an apply measures the engine alone (journal,
 * state, scheduling). Creates of the resource named {@link #FAILING} fail, to start a rollback.
 * Thread-safe.
 */
final class NoopPlugin implements PluginEndpoint {
  static final String TYPE = "noop_item";
  static final String FAILING = "failing";

  private static final Manifest MANIFEST =
      Manifest.newBuilder()
          .setName("noop")
          .setVersion("1")
          .setContractVersion("v1")
          .addResourceTypes(
              ResourceType.newBuilder()
                  .setName(TYPE)
                  .addAllOperations(
                      List.of(
                          Operation.OPERATION_CREATE,
                          Operation.OPERATION_READ,
                          Operation.OPERATION_UPDATE,
                          Operation.OPERATION_DELETE))
                  .setCompensation(
                      CompensationPolicies.newBuilder()
                          .setCreate(CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE)
                          .setUpdate(CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE)
                          .setDelete(CompensationPolicy.COMPENSATION_POLICY_NONE)))
          .build();

  @Override
  public String name() {
    return "noop";
  }

  @Override
  public Manifest manifest() {
    return MANIFEST;
  }

  @Override
  public CreateResponse create(CreateRequest request) throws DriverCallException {
    String name = request.getResource().getName();
    if (name.equals(FAILING)) {
      throw new DriverCallException("the benchmark's failing action, to start a rollback");
    }
    return CreateResponse.newBuilder()
        .setOutput(ResourceOutput.newBuilder().setProviderId(name))
        .build();
  }

  @Override
  public ReadResponse read(ReadRequest request) {
    return ReadResponse.newBuilder().setExists(true).build();
  }

  @Override
  public UpdateResponse update(UpdateRequest request) {
    return UpdateResponse.newBuilder()
        .setOutput(ResourceOutput.newBuilder().setProviderId(request.getResource().getName()))
        .build();
  }

  @Override
  public DeleteResponse delete(DeleteRequest request) {
    return DeleteResponse.getDefaultInstance();
  }

  @Override
  public DiffResponse diff(DiffRequest request) {
    return DiffResponse.getDefaultInstance();
  }

  @Override
  public CompensateResponse compensate(CompensateRequest request) {
    return CompensateResponse.getDefaultInstance();
  }

  @Override
  public FinalizeApplyResponse finalizeApply(FinalizeApplyRequest request) {
    return FinalizeApplyResponse.getDefaultInstance();
  }
}
