package io.compensa.sdk.testkit.inprocess;

import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensateRequest;
import io.compensa.proto.v1.PlanAction;
import io.compensa.sdk.CompensationRequest;
import io.compensa.sdk.Outcome;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import io.compensa.sdk.internal.StructCodec;

/**
 * Builds the wire requests a host sends from the SDK's types.
 *
 * <p>Stateless and thread-safe.
 */
final class WireRequests {

  private WireRequests() {}

  static io.compensa.proto.v1.ResourceSpec spec(ResourceSpec spec) {
    return io.compensa.proto.v1.ResourceSpec.newBuilder()
        .setName(spec.name())
        .setType(spec.type())
        .setConfig(StructCodec.toStruct(spec.config()))
        .addAllDependsOn(spec.dependsOn())
        .build();
  }

  static io.compensa.proto.v1.ResourceState state(ResourceState state) {
    return io.compensa.proto.v1.ResourceState.newBuilder()
        .setName(state.name())
        .setType(state.type())
        .setConfig(StructCodec.toStruct(state.config()))
        .setOutput(output(state.output()))
        .addAllDependsOn(state.dependsOn())
        .setTainted(state.tainted())
        .setNeedsAttention(state.needsAttention())
        .setAttentionReason(state.attentionReason())
        .build();
  }

  static io.compensa.proto.v1.ResourceOutput output(ResourceOutput output) {
    return io.compensa.proto.v1.ResourceOutput.newBuilder()
        .setProviderId(output.providerId())
        .setOutputs(StructCodec.toStruct(output.outputs()))
        .addAllSensitiveKeys(output.sensitiveKeys().stream().sorted().toList())
        .build();
  }

  static CompensateRequest compensation(CompensationRequest request) {
    CompensateRequest.Builder wire =
        CompensateRequest.newBuilder()
            .setAction(
                PlanAction.newBuilder()
                    .setId(request.actionId())
                    .setKind(ActionKind.valueOf("ACTION_KIND_" + request.kind().name()))
                    .setResource(spec(request.resource())))
            .setDriverOutput(output(request.driverOutput()))
            .setReason(request.reason());
    request.prior().ifPresent(prior -> wire.setPriorState(state(prior)));
    return wire.build();
  }

  static ActionOutcome outcome(Outcome outcome) {
    return ActionOutcome.newBuilder()
        .setActionId(outcome.actionId())
        .setResourceName(outcome.resourceName())
        .setKind(ActionKind.valueOf("ACTION_KIND_" + outcome.kind().name()))
        .setStatus(ActionStatus.valueOf("ACTION_STATUS_" + outcome.status().name()))
        .setDriverOutput(output(outcome.driverOutput()))
        .build();
  }
}
