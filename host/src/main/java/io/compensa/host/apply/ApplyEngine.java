package io.compensa.host.apply;

import io.compensa.host.endpoint.PluginRouter;
import io.compensa.host.journal.ApplyJournal;
import io.compensa.host.journal.JournalException;
import io.compensa.host.journal.JournalLog;
import io.compensa.host.journal.LeftoverProcesses;
import io.compensa.host.plan.ActionGraph;
import io.compensa.host.plan.InvalidPlanException;
import io.compensa.host.plan.PlanValidator;
import io.compensa.host.plan.StalePlans;
import io.compensa.host.secrets.SecretStore;
import io.compensa.host.state.StateLock;
import io.compensa.host.state.StateStore;
import io.compensa.host.state.StateStoreException;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.JournalBegin;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Applies a plan through its plugins: validation, dependency-ordered execution with a parallelism
 * limit, compensation, the failure policy, FinalizeApply, and the check that every action ends with
 * exactly one outcome (invariant 1).
 *
 * <p>One engine applies one plan at a time; {@link #cancel()} may be called from any other thread.
 */
public final class ApplyEngine {
  private final PluginRouter router;
  private final StateStore store;
  private final SecretStore secrets;
  private final ApplyOptions options;
  private final ApplyListener listener;
  private final AtomicBoolean cancelled = new AtomicBoolean();

  /** An engine over these plugins, this state store and this secrets store. */
  public ApplyEngine(
      PluginRouter router,
      StateStore store,
      SecretStore secrets,
      ApplyOptions options,
      ApplyListener listener) {
    this.router = router;
    this.store = store;
    this.secrets = secrets;
    this.options = options;
    this.listener = listener;
  }

  /** Stops scheduling new actions; in-flight ones finish, the rest are skipped. */
  public void cancel() {
    cancelled.set(true);
  }

  /**
   * Applies {@code plan}.
   *
   * @throws InvalidPlanException when the plan is refused; nothing was called and nothing changed
   * @throws StateStoreException when the state cannot be locked or read; nothing was called
   * @throws JournalException when an earlier apply is unfinished (run recover), or the journal
   *     cannot be started; nothing was called
   */
  public ApplyResult apply(Plan plan, String purpose)
      throws InvalidPlanException, StateStoreException, JournalException {
    try (StateLock lock = store.lock(purpose)) {
      options.journal().ensureFinished();
      StateSnapshot start = store.read();
      Set<String> recorded =
          start.getResourcesList().stream().map(ResourceState::getName).collect(Collectors.toSet());
      ActionGraph graph = new PlanValidator(router.types()).validate(plan, recorded);
      StalePlans.check(plan, start);
      JournalBegin.Builder begin =
          JournalBegin.newBuilder()
              .setPlan(plan)
              .setFailurePolicy(options.failurePolicy().name().toLowerCase(Locale.ROOT))
              .setHolder("pid " + ProcessHandle.current().pid() + " (" + purpose + ")")
              .setStartedAt(Instant.now().toString())
              .setHostPid(ProcessHandle.current().pid())
              .setHostName(LeftoverProcesses.hostName());
      for (var plugin : router.plugins()) {
        plugin.pid().ifPresent(begin::addPluginPids);
      }
      JournalBegin began = begin.build();
      ApplyJournal journal = options.journal().begin(began);
      ApplyRun run =
          new ApplyRun(plan, began.getStartedAt(), start, journal, router, store, secrets, options);
      Map<String, ActionOutcome> outcomes =
          new Scheduler(graph, run, options, listener, cancelled).run();
      return run.finish(graph, outcomes, options.failurePolicy(), Set.of(), cancelled::get);
    }
  }

  /**
   * Finishes the apply an earlier host left unfinished, from its journal: journaled outcomes are
   * written to the state again, actions that were in flight are settled (asking the driver with
   * Read whether their call took effect, then running the post-driver steps that were lost and
   * compensating by policy), actions that never started are skipped, the failure policy and
   * FinalizeApply run, and the journal is marked complete.
   *
   * @return the finished apply, or empty when nothing was left unfinished
   */
  public Optional<ApplyResult> recover(String purpose)
      throws StateStoreException, JournalException {
    try (StateLock lock = store.lock(purpose)) {
      Optional<JournalLog> left = options.journal().unfinished();
      if (left.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          new Recovery(router, store, secrets, options, listener)
              .finish(left.get(), cancelled::get));
    }
  }
}
