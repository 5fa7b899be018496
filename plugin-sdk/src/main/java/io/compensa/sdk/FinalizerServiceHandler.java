package io.compensa.sdk;

import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.FinalizeApplyRequest;
import io.compensa.proto.v1.FinalizeApplyResponse;
import io.compensa.proto.v1.FinalizeError;
import io.compensa.proto.v1.FinalizerServiceGrpc;
import io.compensa.proto.v1.OutcomeAmendment;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves {@code compensa.v1.FinalizerService} with the plugin's {@link Finalizer}.
 *
 * <p>Thread-safe when the finalizer is.
 */
final class FinalizerServiceHandler extends FinalizerServiceGrpc.FinalizerServiceImplBase {

  private final Finalizer finalizer;

  /**
   * Creates the handler.
   *
   * @param finalizer the author's finalizer
   */
  public FinalizerServiceHandler(Finalizer finalizer) {
    this.finalizer = finalizer;
  }

  @Override
  public void finalizeApply(
      FinalizeApplyRequest request, StreamObserver<FinalizeApplyResponse> observer) {
    String what = "FinalizeApply of plan \"" + request.getPlanId() + "\"";
    Responder.answer(
        what,
        observer,
        () -> {
          List<Outcome> outcomes = new ArrayList<>();
          for (ActionOutcome outcome : request.getOutcomesList()) {
            outcomes.add(ProtoConversion.outcome(outcome));
          }
          return response(finalizer.finalizeApply(request.getPlanId(), List.copyOf(outcomes)));
        });
  }

  private static FinalizeApplyResponse response(FinalizeResult result) {
    FinalizeApplyResponse.Builder response = FinalizeApplyResponse.newBuilder();
    for (FinalizeResult.Error error : result.errors()) {
      response.addErrors(
          FinalizeError.newBuilder().setActionId(error.actionId()).setMessage(error.message()));
    }
    for (FinalizeResult.Amendment amendment : result.amendments()) {
      response.addAmendments(
          OutcomeAmendment.newBuilder()
              .setActionId(amendment.actionId())
              .setStatus(ActionStatus.ACTION_STATUS_COMPENSATED)
              .setDetail(amendment.detail()));
    }
    return response.build();
  }
}
