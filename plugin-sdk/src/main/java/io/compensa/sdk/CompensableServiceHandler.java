package io.compensa.sdk;

import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensableServiceGrpc;
import io.compensa.proto.v1.CompensateRequest;
import io.compensa.proto.v1.CompensateResponse;
import io.grpc.stub.StreamObserver;

/**
 * Serves {@code compensa.v1.CompensableService} with the plugin's {@link Compensator}.
 *
 * <p>Thread-safe when the compensator is.
 */
final class CompensableServiceHandler extends CompensableServiceGrpc.CompensableServiceImplBase {

  private final Compensator compensator;

  /**
   * Creates the handler.
   *
   * @param compensator the author's compensator
   */
  public CompensableServiceHandler(Compensator compensator) {
    this.compensator = compensator;
  }

  @Override
  public void compensate(CompensateRequest request, StreamObserver<CompensateResponse> observer) {
    String what = "Compensate of action \"" + request.getAction().getId() + "\"";
    Responder.answer(
        what,
        observer,
        () -> {
          CompensationResult result = compensator.compensate(ProtoConversion.compensation(request));
          CompensateResponse.Builder response =
              CompensateResponse.newBuilder()
                  .setStatus(
                      result.compensated()
                          ? ActionStatus.ACTION_STATUS_COMPENSATED
                          : ActionStatus.ACTION_STATUS_COMPENSATION_FAILED)
                  .setDetail(result.detail());
          result
              .remaining()
              .ifPresent(output -> response.setRemaining(ProtoConversion.output(output)));
          return response.build();
        });
  }
}
