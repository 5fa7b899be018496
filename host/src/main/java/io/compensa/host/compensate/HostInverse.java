package io.compensa.host.compensate;

import io.compensa.host.endpoint.DriverCallException;
import io.compensa.proto.v1.CompensationDetail;
import io.compensa.proto.v1.Compensator;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.UpdateRequest;

/**
 * The HOST_INVERSE strategy's calls: the host undoes an action with the inverse driver call, Delete
 * what was created, Create again what was deleted, Update back what was updated. Each call carries
 * the action id with {@code /compensate} appended, its own idempotency key. Thread-safe.
 */
final class HostInverse {
  private final DriverCaller calls;

  HostInverse(DriverCaller calls) {
    this.calls = calls;
  }

  /** Deletes {@code created}, the resource the action made. */
  void delete(ResolvedAction target, ResourceState created) throws DriverCallException {
    calls.call(
        target.id(),
        "Delete (compensation)",
        () ->
            target
                .endpoint()
                .delete(
                    DeleteRequest.newBuilder()
                        .setActionId(target.id() + "/compensate")
                        .setState(created)
                        .build()));
  }

  /** Updates {@code updated} back to {@code prior}'s configuration; returns the driver's output. */
  ResourceOutput updateBack(ResolvedAction target, ResourceState prior, ResourceState updated)
      throws DriverCallException {
    return calls
        .call(
            target.id(),
            "Update (compensation)",
            () ->
                target
                    .endpoint()
                    .update(
                        UpdateRequest.newBuilder()
                            .setActionId(target.id() + "/compensate")
                            .setResource(ResolvedAction.spec(prior))
                            .setPrior(updated)
                            .build()))
        .getOutput();
  }

  /** Recreates {@code prior} from its configuration; the result carries the new provider id. */
  ResourceState recreate(ResolvedAction target, ResourceState prior) throws DriverCallException {
    ResourceOutput output =
        calls
            .call(
                target.id(),
                "Create (compensation)",
                () ->
                    target
                        .endpoint()
                        .create(
                            CreateRequest.newBuilder()
                                .setActionId(target.id() + "/compensate")
                                .setResource(ResolvedAction.spec(prior))
                                .build()))
            .getOutput();
    return prior.toBuilder()
        .setOutput(output)
        .setTainted(false)
        .setNeedsAttention(false)
        .clearAttentionReason()
        .build();
  }

  /** The detail of a compensation the host makes with {@code call}. */
  static CompensationDetail.Builder detail(String call) {
    return CompensationDetail.newBuilder()
        .setCompensator(Compensator.COMPENSATOR_HOST)
        .setCall(call);
  }
}
