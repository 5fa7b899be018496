package io.compensa.host.apply;

import io.compensa.host.endpoint.DriverCallException;
import io.compensa.host.endpoint.PluginEndpoint;
import io.compensa.host.endpoint.PluginRouter;

import io.compensa.host.plan.ActionGraph;
import io.compensa.host.plan.InvalidPlanException;
import io.compensa.host.journal.ApplyJournal;
import io.compensa.host.journal.JournalException;
import io.compensa.host.journal.JournalLog;
import io.compensa.host.journal.LeftoverProcesses;
import io.compensa.proto.v1.JournalBegin;
import java.time.Duration;
import io.compensa.host.plan.PlanValidator;
import io.compensa.host.secrets.SecretStore;
import io.compensa.host.state.StateLock;
import io.compensa.host.state.StateStore;
import io.compensa.host.state.StateStoreException;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.JournalOutcome;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a plan through its plugins: validation, dependency-ordered execution with a parallelism
 * limit, compensation, the failure policy, FinalizeApply, and the check that every action ends with
 * exactly one outcome (invariant 1).
 *
 * <p>One engine applies one plan at a time; {@link #cancel()} may be called from any other thread.
 */
public final class ApplyEngine {
  private static final Logger log = LoggerFactory.getLogger(ApplyEngine.class);

  private final PluginRouter router;
  private final StateStore store;
  private final SecretStore secrets;
  private final ApplyOptions options;
  private final ApplyListener listener;
  private final AtomicBoolean cancelled = new AtomicBoolean();

  /** An engine over these plugins, this state store and this secrets store. */
  public ApplyEngine(PluginRouter router, StateStore store, SecretStore secrets, ApplyOptions options,
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
      Set<String> recorded = start.getResourcesList().stream().map(ResourceState::getName).collect(Collectors.toSet());
      ActionGraph graph = new PlanValidator(router.types()).validate(plan, recorded);
      JournalBegin.Builder begin = JournalBegin.newBuilder()
          .setPlan(plan)
          .setFailurePolicy(options.failurePolicy().name().toLowerCase(Locale.ROOT))
          .setHolder("pid " + ProcessHandle.current().pid() + " (" + purpose + ")")
          .setStartedAt(java.time.Instant.now().toString())
          .setHostPid(ProcessHandle.current().pid())
          .setHostName(LeftoverProcesses.hostName());
      for (var plugin : router.plugins()) {
        plugin.pid().ifPresent(begin::addPluginPids);
      }
      ApplyJournal journal = options.journal().begin(begin.build());
      Run run = new Run(plan, start, journal);
      Map<String, ActionOutcome> outcomes = new Scheduler(graph, run.executor).run(plan);
      return finish(run, graph, outcomes, options.failurePolicy(), Set.of());
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
  public Optional<ApplyResult> recover(String purpose) throws StateStoreException, JournalException {
    try (StateLock lock = store.lock(purpose)) {
      Optional<JournalLog> left = options.journal().unfinished();
      if (left.isEmpty()) {
        return Optional.empty();
      }
      JournalLog log = left.get();
      LeftoverProcesses.awaitGone(log.begin(), Duration.ofSeconds(10));
      Plan plan = log.plan();
      for (PlanAction action : plan.getActionsList()) {
        if (router.types().get(action.getResource().getType()) == null) {
          throw new JournalException("cannot recover plan " + plan.getId() + ": resource \"" + action.getResource().getName()
              + "\" has type \"" + action.getResource().getType() + "\", which no configured plugin serves");
        }
      }
      ActionGraph graph;
      try {
        graph = ActionGraph.of(plan);
      } catch (InvalidPlanException e) {
        throw new JournalException("the journal's plan cannot be ordered: " + e.getMessage(), e);
      }
      Run run = new Run(plan, store.read(), options.journal().resume());
      Map<String, ActionOutcome> outcomes = new HashMap<>();
      // the records the state persistence steps journaled, then each settled action's record
      log.states().forEach(run.state::set);
      for (JournalOutcome journaled : log.outcomes()) {
        ActionOutcome outcome = journaled.getOutcome();
        outcomes.put(outcome.getActionId(), outcome);
        run.state.set(outcome.getResourceName(), journaled.hasRecord() ? Optional.of(journaled.getRecord()) : Optional.empty());
      }
      run.state.checkpoint();
      for (String id : graph.topologicalOrder()) {
        if (outcomes.containsKey(id)) {
          continue;
        }
        PlanAction action = graph.action(id);
        ActionOutcome outcome = log.calls(id).isEmpty()
            ? skipped(action, "the host stopped before this action started; plan and apply again")
            : new InterruptedActions(run.executor).recover(action, log.calls(id), log.hookFailure(id));
        outcomes.put(id, outcome);
        run.executor.journalOutcome(outcome);
        listener.finished(outcome);
      }
      FailurePolicy policy = FailurePolicy.valueOf(log.failurePolicy().toUpperCase(Locale.ROOT));
      Set<String> finalized = new HashSet<>();
      for (var plugin : router.plugins()) {
        if (log.finalized(plugin.name())) {
          finalized.add(plugin.name());
        }
      }
      return Optional.of(finish(run, graph, outcomes, policy, finalized));
    }
  }

  private ApplyResult finish(Run run, ActionGraph graph, Map<String, ActionOutcome> outcomes, FailurePolicy policy,
      Set<String> alreadyFinalized) throws JournalException {
    if (policy == FailurePolicy.ROLLBACK && outcomes.values().stream().anyMatch(o -> !reached(o))) {
      new Rollback(graph, run.executor, run.state, options.parallelism()).run(run.plan, outcomes);
    }
    new Finalization(router, run.calls, run.executor, run.problems).run(run.plan, outcomes, alreadyFinalized);
    List<ActionOutcome> ordered = checkInvariant(run.plan, outcomes);
    try {
      run.state.checkpoint();
    } catch (StateStoreException e) {
      if (run.calls.journal().keepsState()) {
        // the journal keeps the records the store lacks and stays unfinished: recover writes them
        run.problems.add("the state could not be written at the end of the apply (" + e.getMessage()
            + "); the journal keeps its records: run `compensa recover` to write them");
        return new ApplyResult(run.plan.getId(), ordered, run.problems, cancelled.get(), false);
      }
      run.problems.add("the state could not be written at the end of the apply: " + e.getMessage());
    }
    run.calls.journal().complete();
    return new ApplyResult(run.plan.getId(), ordered, run.problems, cancelled.get());
  }

  /** What one apply (or recovery) works with. */
  private final class Run {
    final Plan plan;
    final WorkingState state;
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    final DriverCalls calls;
    final ActionExecutor executor;

    Run(Plan plan, StateSnapshot start, ApplyJournal journal) {
      this.plan = plan;
      this.state = new WorkingState(store, journal, start, plan.getId());
      this.calls = new DriverCalls(journal, options.maxAttempts(), options.initialBackoff());
      this.executor = new ActionExecutor(router, state, calls, options, new SecretRouting(secrets), problems);
    }
  }

  static boolean reached(ActionOutcome outcome) {
    return outcome.getStatus() == ActionStatus.ACTION_STATUS_SUCCESS;
  }

  /** Invariant 1: exactly one outcome per action, none UNSPECIFIED. */
  private static List<ActionOutcome> checkInvariant(Plan plan, Map<String, ActionOutcome> outcomes) {
    List<ActionOutcome> ordered = new ArrayList<>();
    for (PlanAction action : plan.getActionsList()) {
      ActionOutcome outcome = outcomes.get(action.getId());
      if (outcome == null || outcome.getStatus() == ActionStatus.ACTION_STATUS_UNSPECIFIED
          || outcome.getStatus() == ActionStatus.UNRECOGNIZED) {
        throw new IllegalStateException("invariant 1 violated: action " + action.getId() + " ended with "
            + (outcome == null ? "no outcome" : outcome.getStatus()) + " (a host bug: please report it with the plan)");
      }
      ordered.add(outcome);
    }
    if (outcomes.size() != plan.getActionsCount()) {
      throw new IllegalStateException("invariant 1 violated: " + outcomes.size() + " outcomes for "
          + plan.getActionsCount() + " actions");
    }
    return ordered;
  }

  /** Runs the actions in dependency order, at most {@code parallelism} at once, honouring the policy. */
  private final class Scheduler {
    private final ActionGraph graph;
    private final ActionExecutor executor;
    private final Map<String, ActionOutcome> outcomes = new HashMap<>();

    Scheduler(ActionGraph graph, ActionExecutor executor) {
      this.graph = graph;
      this.executor = executor;
    }

    Map<String, ActionOutcome> run(Plan plan) {
      ReadyActions ready = ReadyActions.forward(graph);
      List<String> order = ready.all();
      ExecutorService pool = Executors.newFixedThreadPool(options.parallelism(), runnable -> {
        Thread thread = new Thread(runnable, "compensa-apply");
        thread.setDaemon(true);
        return thread;
      });
      CompletionService<ActionOutcome> done = new ExecutorCompletionService<>(pool);
      int running = 0;
      String stoppedBy = null;
      try {
        while (true) {
          if (stoppedBy == null && cancelled.get()) {
            stoppedBy = "the apply was cancelled";
          }
          while (stoppedBy == null && running < options.parallelism() && !ready.isEmpty()) {
            String id = ready.next();
            if (outcomes.containsKey(id)) {
              continue;
            }
            PlanAction action = graph.action(id);
            listener.started(action);
            done.submit(() -> {
              // journaled on the action's own thread, so that the scheduler does not encode every outcome
              ActionOutcome outcome = executor.execute(action);
              executor.journalOutcome(outcome);
              return outcome;
            });
            running++;
          }
          if (running == 0) {
            String reason = stoppedBy != null ? stoppedBy : "it could not be scheduled";
            for (String id : order) {
              if (!outcomes.containsKey(id)) {
                record(skipped(graph.action(id), reason));
              }
            }
            return outcomes;
          }
          ActionOutcome finished = take(done);
          running--;
          record(finished, true);
          if (reached(finished)) {
            ready.settled(finished.getActionId());
          } else {
            skipDependents(finished);
            if (stoppedBy == null && options.failurePolicy() != FailurePolicy.CONTINUE) {
              stoppedBy = "the apply stopped after \"" + finished.getResourceName() + "\" ended "
                  + finished.getStatus().name().substring("ACTION_STATUS_".length());
            }
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }

    /** Skips every action that waits, directly or not, for {@code failed}, naming the dependency that failed it. */
    private void skipDependents(ActionOutcome failed) {
      Deque<ActionOutcome> blocking = new ArrayDeque<>();
      blocking.add(failed);
      while (!blocking.isEmpty()) {
        ActionOutcome before = blocking.poll();
        for (String dependent : graph.dependents(before.getActionId())) {
          if (outcomes.containsKey(dependent)) {
            continue;
          }
          ActionOutcome skipped = skipped(graph.action(dependent), "dependency \"" + before.getResourceName()
              + "\" ended " + before.getStatus().name().substring("ACTION_STATUS_".length()));
          record(skipped);
          blocking.add(skipped);
        }
      }
    }

    private void record(ActionOutcome outcome) {
      record(outcome, false);
    }

    private void record(ActionOutcome outcome, boolean journaled) {
      ActionOutcome earlier = outcomes.putIfAbsent(outcome.getActionId(), outcome);
      if (earlier != null) {
        throw new IllegalStateException("invariant 1 violated: action " + outcome.getActionId() + " ended twice");
      }
      if (!journaled) {
        executor.journalOutcome(outcome);
      }
      listener.finished(outcome);
    }

    private ActionOutcome take(CompletionService<ActionOutcome> done) {
      try {
        return done.take().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for actions", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("an action failed inside the host", e.getCause());
      }
    }
  }

  static ActionOutcome skipped(PlanAction action, String reason) {
    ActionOutcome.Builder outcome = ActionOutcome.newBuilder()
        .setActionId(action.getId())
        .setResourceName(action.getResource().getName())
        .setKind(action.getKind())
        .setStatus(ActionStatus.ACTION_STATUS_SKIPPED)
        .setSkipReason(reason);
    if (action.hasCurrent()) {
      outcome.setPrior(action.getCurrent());
    }
    return outcome.build();
  }
}
