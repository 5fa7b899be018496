package io.compensa.host.apply;

import io.compensa.host.endpoint.DriverCallException;
import io.compensa.host.endpoint.PluginEndpoint;
import io.compensa.host.endpoint.PluginRouter;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensationDetail;
import io.compensa.proto.v1.Compensator;
import io.compensa.proto.v1.FinalizeApplyRequest;
import io.compensa.proto.v1.FinalizeApplyResponse;
import io.compensa.proto.v1.FinalizeError;
import io.compensa.proto.v1.OutcomeAmendment;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.PluginCapability;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.ResourceType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * FinalizeApply, once per plugin that serves it, after the action loop: its errors are reported
 * without changing statuses; its amendments turn its own SUCCESS actions into COMPENSATED and put
 * their records back. Anything else it asks is refused and reported. Runs on one thread.
 */
final class Finalization {
  private final PluginRouter router;
  private final DriverCalls calls;
  private final ResourceRecords records;
  private final List<String> problems;

  Finalization(
      PluginRouter router, DriverCalls calls, ResourceRecords records, List<String> problems) {
    this.router = router;
    this.calls = calls;
    this.records = records;
    this.problems = problems;
  }

  void run(Plan plan, Map<String, ActionOutcome> outcomes, Set<String> alreadyFinalized) {
    Map<String, PlanAction> actions =
        plan.getActionsList().stream().collect(Collectors.toMap(PlanAction::getId, a -> a));
    for (PluginEndpoint plugin : router.plugins()) {
      if (!plugin
              .manifest()
              .getCapabilitiesList()
              .contains(PluginCapability.PLUGIN_CAPABILITY_FINALIZER)
          || alreadyFinalized.contains(plugin.name())) {
        continue;
      }
      Set<String> types =
          plugin.manifest().getResourceTypesList().stream()
              .map(ResourceType::getName)
              .collect(Collectors.toSet());
      List<ActionOutcome> own =
          plan.getActionsList().stream()
              .filter(a -> types.contains(a.getResource().getType()))
              .map(a -> outcomes.get(a.getId()))
              .collect(Collectors.toList());
      FinalizeApplyResponse response;
      try {
        response =
            calls.call(
                "",
                "FinalizeApply",
                () ->
                    plugin.finalizeApply(
                        FinalizeApplyRequest.newBuilder()
                            .setPlanId(plan.getId())
                            .addAllOutcomes(own)
                            .build()));
      } catch (DriverCallException e) {
        problems.add("plugin \"" + plugin.name() + "\" FinalizeApply failed: " + e.getMessage());
        continue;
      }
      for (FinalizeError error : response.getErrorsList()) {
        problems.add(
            "plugin \""
                + plugin.name()
                + "\" FinalizeApply"
                + (error.getActionId().isEmpty() ? "" : " (action " + error.getActionId() + ")")
                + ": "
                + error.getMessage());
      }
      for (OutcomeAmendment amendment : response.getAmendmentsList()) {
        amend(plugin, types, actions, outcomes, amendment);
      }
      calls.journal().finalized(plugin.name());
    }
  }

  private void amend(
      PluginEndpoint plugin,
      Set<String> types,
      Map<String, PlanAction> actions,
      Map<String, ActionOutcome> outcomes,
      OutcomeAmendment amendment) {
    String id = amendment.getActionId();
    PlanAction action = actions.get(id);
    String refused = null;
    if (action == null) {
      refused = "it names unknown action \"" + id + "\"";
    } else if (!types.contains(action.getResource().getType())) {
      refused = "action \"" + id + "\" belongs to another plugin";
    } else if (outcomes.get(id).getStatus() != ActionStatus.ACTION_STATUS_SUCCESS) {
      refused = "action \"" + id + "\" ended " + outcomes.get(id).getStatus() + ", not SUCCESS";
    } else if (amendment.getStatus() != ActionStatus.ACTION_STATUS_COMPENSATED) {
      refused = "only COMPENSATED may be set, not " + amendment.getStatus();
    }
    if (refused != null) {
      problems.add("plugin \"" + plugin.name() + "\" FinalizeApply amendment refused: " + refused);
      return;
    }
    ActionOutcome outcome = outcomes.get(id);
    Optional<ResourceState> prior =
        action.getKind() == ActionKind.ACTION_KIND_CREATE || !outcome.hasPrior()
            ? Optional.empty()
            : Optional.of(outcome.getPrior());
    records.settle(action.getResource().getName(), prior);
    outcomes.put(
        id,
        outcome.toBuilder()
            .setStatus(ActionStatus.ACTION_STATUS_COMPENSATED)
            .setCompensation(
                CompensationDetail.newBuilder()
                    .setCompensator(Compensator.COMPENSATOR_PLUGIN_SELF)
                    .setCall("FinalizeApply")
                    .setResult(ActionStatus.ACTION_STATUS_COMPENSATED)
                    .setDetail(amendment.getDetail()))
            .build());
    records.journalOutcome(outcomes.get(id));
  }
}
