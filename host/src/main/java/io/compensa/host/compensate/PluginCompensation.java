package io.compensa.host.compensate;

import io.compensa.host.endpoint.DriverCallException;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensateRequest;
import io.compensa.proto.v1.CompensateResponse;
import io.compensa.proto.v1.CompensationDetail;
import io.compensa.proto.v1.Compensator;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceState;
import java.util.Optional;

/**
 * The PLUGIN strategy: the host calls {@code CompensableService.Compensate} and records the
 * plugin's answer. After a COMPENSATED answer for a creation, Read confirms the resource is gone
 * (when the type serves Read); the plugin's word alone does not remove a resource from the record.
 * Thread-safe.
 */
final class PluginCompensation {
  private final DriverCaller calls;

  PluginCompensation(DriverCaller calls) {
    this.calls = calls;
  }

  /**
   * Asks the plugin to undo {@code undone}, the action as the plugin is told of it (a replace's new
   * half is undone as the CREATE it was).
   *
   * @param prior the record before the action, sent to the plugin; empty for a creation
   * @param whenCompensated the record after a COMPENSATED answer (the plugin's remaining output
   *     replaces its output when the plugin returns one)
   * @param whenFailed the record after a failed compensation
   */
  Compensation undo(
      ResolvedAction target,
      PlanAction undone,
      ResourceOutput driverOutput,
      Optional<ResourceState> prior,
      String reason,
      Optional<ResourceState> whenCompensated,
      Optional<ResourceState> whenFailed) {
    CompensationDetail.Builder detail =
        CompensationDetail.newBuilder()
            .setCompensator(Compensator.COMPENSATOR_PLUGIN)
            .setCall("Compensate");
    CompensateResponse answer;
    try {
      CompensateRequest.Builder request =
          CompensateRequest.newBuilder()
              .setAction(undone)
              .setDriverOutput(driverOutput)
              .setReason(reason);
      prior.ifPresent(request::setPriorState);
      answer =
          calls.call(
              target.id(), "Compensate", () -> target.endpoint().compensate(request.build()));
    } catch (DriverCallException e) {
      return Compensation.failed(
          detail.setDetail("Compensate failed: " + e.getMessage()), whenFailed);
    }
    ResourceOutput remaining = answer.getRemaining();
    if (answer.getStatus() != ActionStatus.ACTION_STATUS_COMPENSATED) {
      Optional<ResourceState> left =
          remaining.getProviderId().isEmpty()
              ? whenFailed
              : Optional.of(
                  whenFailed.or(() -> prior).orElseThrow().toBuilder()
                      .setOutput(remaining)
                      .build());
      return Compensation.failed(
          detail.setDetail("the plugin could not compensate: " + answer.getDetail()), left);
    }
    if (undone.getKind() == ActionKind.ACTION_KIND_CREATE) {
      Optional<String> stillThere = confirmGone(target, driverOutput);
      if (stillThere.isPresent()) {
        return Compensation.failed(
            detail.setDetail(
                "the plugin answered COMPENSATED but Read still finds " + stillThere.get()),
            whenFailed);
      }
    }
    Optional<ResourceState> after =
        whenCompensated.map(
            s ->
                remaining.getProviderId().isEmpty()
                    ? s
                    : s.toBuilder().setOutput(remaining).build());
    return Compensation.compensated(detail.setDetail(answer.getDetail()), after);
  }

  /**
   * The provider id of {@code created} if Read still finds it; empty when it is gone or cannot be
   * asked.
   */
  private Optional<String> confirmGone(ResolvedAction target, ResourceOutput created) {
    if (!target.reads() || created.getProviderId().isEmpty()) {
      return Optional.empty();
    }
    try {
      boolean exists =
          calls.read(target, "Read (confirm compensation)", created.getProviderId()).getExists();
      return exists ? Optional.of(created.getProviderId()) : Optional.empty();
    } catch (DriverCallException e) {
      return Optional.of(created.getProviderId() + " (Read failed: " + e.getMessage() + ")");
    }
  }
}
