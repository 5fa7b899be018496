package io.compensa.sdk;

import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.CompensateRequest;
import io.compensa.proto.v1.DiffResponse;
import io.compensa.proto.v1.ReadResponse;
import io.compensa.sdk.internal.StructCodec;
import java.util.LinkedHashSet;
import java.util.Optional;

/**
 * Converts between the {@code compensa.v1} messages and the SDK's plain Java values.
 *
 * <p>Stateless and thread-safe.
 */
final class ProtoConversion {

  private ProtoConversion() {}

  /**
   * Returns the SDK spec for a wire spec.
   *
   * @param spec the wire spec
   * @return the SDK spec
   */
  public static ResourceSpec spec(io.compensa.proto.v1.ResourceSpec spec) {
    return new ResourceSpec(
        spec.getName(),
        spec.getType(),
        StructCodec.toMap(spec.getConfig()),
        spec.getDependsOnList());
  }

  /**
   * Returns the SDK state for a wire state.
   *
   * @param state the wire state
   * @return the SDK state
   */
  public static ResourceState state(io.compensa.proto.v1.ResourceState state) {
    return new ResourceState(
        state.getName(),
        state.getType(),
        StructCodec.toMap(state.getConfig()),
        output(state.getOutput()),
        state.getDependsOnList(),
        state.getTainted(),
        state.getNeedsAttention(),
        state.getAttentionReason());
  }

  /**
   * Returns the SDK output for a wire output.
   *
   * @param output the wire output
   * @return the SDK output
   */
  public static ResourceOutput output(io.compensa.proto.v1.ResourceOutput output) {
    return new ResourceOutput(
        output.getProviderId(),
        StructCodec.toMap(output.getOutputs()),
        new LinkedHashSet<>(output.getSensitiveKeysList()));
  }

  /**
   * Returns the wire output for an SDK output.
   *
   * @param output the SDK output
   * @return the wire output
   */
  public static io.compensa.proto.v1.ResourceOutput output(ResourceOutput output) {
    return io.compensa.proto.v1.ResourceOutput.newBuilder()
        .setProviderId(output.providerId())
        .setOutputs(StructCodec.toStruct(output.outputs()))
        .addAllSensitiveKeys(output.sensitiveKeys().stream().sorted().toList())
        .build();
  }

  /**
   * Returns the wire answer for a read result.
   *
   * @param result the driver's result
   * @return the wire response
   */
  public static ReadResponse readResponse(ReadResult result) {
    ReadResponse.Builder response = ReadResponse.newBuilder().setExists(result.exists());
    result.output().ifPresent(output -> response.setOutput(output(output)));
    if (!result.observedConfig().isEmpty()) {
      response.setObservedConfig(StructCodec.toStruct(result.observedConfig()));
    }
    return response.build();
  }

  /**
   * Returns the wire answer for a diff result.
   *
   * @param result the driver's result
   * @return the wire response
   */
  public static DiffResponse diffResponse(DiffResult result) {
    DiffResponse.Change change =
        switch (result.change()) {
          case NONE -> DiffResponse.Change.CHANGE_NONE;
          case UPDATE -> DiffResponse.Change.CHANGE_UPDATE;
          case REPLACE -> DiffResponse.Change.CHANGE_REPLACE;
        };
    return DiffResponse.newBuilder()
        .setChange(change)
        .addAllChangedKeys(result.changedKeys())
        .addAllReplaceKeys(result.replaceKeys())
        .build();
  }

  /**
   * Returns the SDK view of a recorded outcome.
   *
   * @param outcome the wire outcome
   * @return the SDK outcome
   */
  public static Outcome outcome(ActionOutcome outcome) {
    return new Outcome(
        outcome.getActionId(),
        outcome.getResourceName(),
        kind(outcome.getKind()),
        status(outcome.getStatus()),
        output(outcome.getDriverOutput()));
  }

  /**
   * Returns the SDK view of a compensation request.
   *
   * @param request the wire request
   * @return the SDK request
   */
  public static CompensationRequest compensation(CompensateRequest request) {
    Optional<ResourceState> prior =
        request.hasPriorState() ? Optional.of(state(request.getPriorState())) : Optional.empty();
    return new CompensationRequest(
        request.getAction().getId(),
        kind(request.getAction().getKind()),
        spec(request.getAction().getResource()),
        output(request.getDriverOutput()),
        prior,
        request.getReason());
  }

  private static ActionKind kind(io.compensa.proto.v1.ActionKind kind) {
    return switch (kind) {
      case ACTION_KIND_CREATE -> ActionKind.CREATE;
      case ACTION_KIND_UPDATE -> ActionKind.UPDATE;
      case ACTION_KIND_REPLACE -> ActionKind.REPLACE;
      case ACTION_KIND_DELETE -> ActionKind.DELETE;
      default ->
          throw new IllegalArgumentException(
              "action kind " + kind + " is not one of CREATE, UPDATE, REPLACE, DELETE");
    };
  }

  private static ActionStatus status(io.compensa.proto.v1.ActionStatus status) {
    return switch (status) {
      case ACTION_STATUS_SUCCESS -> ActionStatus.SUCCESS;
      case ACTION_STATUS_ERROR -> ActionStatus.ERROR;
      case ACTION_STATUS_DELETE_FAILED -> ActionStatus.DELETE_FAILED;
      case ACTION_STATUS_COMPENSATED -> ActionStatus.COMPENSATED;
      case ACTION_STATUS_COMPENSATION_FAILED -> ActionStatus.COMPENSATION_FAILED;
      case ACTION_STATUS_SKIPPED -> ActionStatus.SKIPPED;
      default ->
          throw new IllegalArgumentException("action status " + status + " is not a final status");
    };
  }
}
