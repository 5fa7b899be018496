package io.compensa.host.compensate;

import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensationDetail;
import io.compensa.proto.v1.ResourceState;
import java.util.Optional;

/**
 * The result of undoing one action: its status, what was done, and what the state must record
 * after.
 *
 * @param status COMPENSATED or COMPENSATION_FAILED
 * @param detail who compensated, with which call, and how it went
 * @param stateAfter the record that matches the world afterwards; empty when nothing exists
 */
public record Compensation(
    ActionStatus status, CompensationDetail detail, Optional<ResourceState> stateAfter) {
  static final String NOT_COMPENSABLE = "not compensable";

  static Compensation compensated(
      CompensationDetail.Builder detail, Optional<ResourceState> stateAfter) {
    return new Compensation(
        ActionStatus.ACTION_STATUS_COMPENSATED,
        detail.setResult(ActionStatus.ACTION_STATUS_COMPENSATED).build(),
        stateAfter);
  }

  /**
   * A failed compensation; what remains is flagged needs-attention with the detail as the reason.
   */
  static Compensation failed(CompensationDetail.Builder detail, Optional<ResourceState> remaining) {
    Optional<ResourceState> flagged =
        remaining.map(
            r ->
                r.toBuilder()
                    .setNeedsAttention(true)
                    .setAttentionReason(detail.getDetail())
                    .build());
    return new Compensation(
        ActionStatus.ACTION_STATUS_COMPENSATION_FAILED,
        detail.setResult(ActionStatus.ACTION_STATUS_COMPENSATION_FAILED).build(),
        flagged);
  }

  /** The NONE policy: nothing is undone, and what remains is flagged for an operator. */
  static Compensation notCompensable(Optional<ResourceState> remaining) {
    return failed(CompensationDetail.newBuilder().setDetail(NOT_COMPENSABLE), remaining);
  }

  /** Whether the action was undone. */
  public boolean compensated() {
    return status == ActionStatus.ACTION_STATUS_COMPENSATED;
  }
}
