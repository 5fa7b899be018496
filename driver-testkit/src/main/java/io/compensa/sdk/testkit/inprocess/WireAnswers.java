package io.compensa.sdk.testkit.inprocess;

import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensateResponse;
import io.compensa.proto.v1.DiffResponse;
import io.compensa.proto.v1.FinalizeApplyResponse;
import io.compensa.proto.v1.FinalizeError;
import io.compensa.proto.v1.OutcomeAmendment;
import io.compensa.proto.v1.ReadResponse;
import io.compensa.sdk.CompensationResult;
import io.compensa.sdk.DiffResult;
import io.compensa.sdk.FinalizeResult;
import io.compensa.sdk.ReadResult;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.internal.StructCodec;
import java.util.LinkedHashSet;

/**
 * Reads the plugin's wire answers back into the SDK's types, keeping what the wire did to them
 * (numbers become doubles, sensitive keys come back sorted).
 *
 * <p>Stateless and thread-safe.
 */
final class WireAnswers {

  private WireAnswers() {}

  static ResourceOutput output(io.compensa.proto.v1.ResourceOutput output) {
    return new ResourceOutput(
        output.getProviderId(),
        StructCodec.toMap(output.getOutputs()),
        new LinkedHashSet<>(output.getSensitiveKeysList()));
  }

  static ReadResult read(ReadResponse response) {
    if (!response.getExists()) {
      return ReadResult.absent();
    }
    ReadResult found = ReadResult.found(output(response.getOutput()));
    return response.hasObservedConfig()
        ? found.withObservedConfig(StructCodec.toMap(response.getObservedConfig()))
        : found;
  }

  static DiffResult diff(DiffResponse response) {
    return switch (response.getChange()) {
      case CHANGE_UPDATE -> DiffResult.update(response.getChangedKeysList());
      case CHANGE_REPLACE ->
          DiffResult.replace(response.getChangedKeysList(), response.getReplaceKeysList());
      case CHANGE_NONE -> DiffResult.none();
      default ->
          throw new IllegalStateException(
              "the plugin answered Diff with change " + response.getChange());
    };
  }

  static CompensationResult compensation(CompensateResponse response) {
    if (response.getStatus() == ActionStatus.ACTION_STATUS_COMPENSATED) {
      return CompensationResult.compensated(response.getDetail());
    }
    if (response.getStatus() == ActionStatus.ACTION_STATUS_COMPENSATION_FAILED) {
      return CompensationResult.failed(
          response.getDetail(), response.hasRemaining() ? output(response.getRemaining()) : null);
    }
    throw new IllegalStateException(
        "the plugin answered Compensate with status "
            + response.getStatus()
            + ": only COMPENSATED and COMPENSATION_FAILED are answers");
  }

  static FinalizeResult finalizeResult(FinalizeApplyResponse response) {
    FinalizeResult result = FinalizeResult.ok();
    for (FinalizeError error : response.getErrorsList()) {
      result = result.withError(error.getActionId(), error.getMessage());
    }
    for (OutcomeAmendment amendment : response.getAmendmentsList()) {
      result = result.withCompensated(amendment.getActionId(), amendment.getDetail());
    }
    return result;
  }
}
