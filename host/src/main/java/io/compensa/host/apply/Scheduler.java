package io.compensa.host.apply;

import io.compensa.host.plan.ActionGraph;
import io.compensa.host.plan.ReadyActions;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.PlanAction;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a plan's actions in dependency order, at most {@code parallelism} at once, honouring the
 * failure policy: after an action that does not reach its desired state, its dependents are
 * skipped, and under {@code stop} and {@code rollback} nothing new starts. A cancellation stops
 * scheduling too. Every action ends with one outcome, journaled and reported to the listener. The
 * calling thread schedules and keeps the outcomes; the actions run on a pool of their own.
 */
final class Scheduler {
  private final ActionGraph graph;
  private final ActionExecutor executor;
  private final ResourceRecords records;
  private final ApplyOptions options;
  private final ApplyListener listener;
  private final AtomicBoolean cancelled;
  private final Map<String, ActionOutcome> outcomes = new HashMap<>();

  Scheduler(
      ActionGraph graph,
      ApplyRun run,
      ApplyOptions options,
      ApplyListener listener,
      AtomicBoolean cancelled) {
    this.graph = graph;
    this.executor = run.executor;
    this.records = run.records;
    this.options = options;
    this.listener = listener;
    this.cancelled = cancelled;
  }

  /** Runs every action; returns their outcomes by action id. */
  Map<String, ActionOutcome> run() {
    ReadyActions ready = ReadyActions.forward(graph);
    List<String> order = ready.all();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            options.parallelism(),
            runnable -> {
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
          done.submit(
              () -> {
                // journaled on the action's own thread, so that the scheduler does not encode every
                // outcome
                String started = java.time.Instant.now().toString();
                ActionOutcome outcome = timed(executor.execute(action), started);
                records.journalOutcome(outcome);
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
        if (ApplyRun.reached(finished)) {
          ready.settled(finished.getActionId());
        } else {
          skipDependents(finished);
          if (stoppedBy == null && options.failurePolicy() != FailurePolicy.CONTINUE) {
            stoppedBy =
                "the apply stopped after \""
                    + finished.getResourceName()
                    + "\" ended "
                    + finished.getStatus().name().substring("ACTION_STATUS_".length());
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Skips every action that waits, directly or not, for {@code failed}, naming the dependency that
   * failed it.
   */
  private void skipDependents(ActionOutcome failed) {
    Deque<ActionOutcome> blocking = new ArrayDeque<>();
    blocking.add(failed);
    while (!blocking.isEmpty()) {
      ActionOutcome before = blocking.poll();
      for (String dependent : graph.dependents(before.getActionId())) {
        if (outcomes.containsKey(dependent)) {
          continue;
        }
        ActionOutcome skipped =
            skipped(
                graph.action(dependent),
                "dependency \""
                    + before.getResourceName()
                    + "\" ended "
                    + before.getStatus().name().substring("ACTION_STATUS_".length()));
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
      throw new IllegalStateException(
          "invariant 1 violated: action " + outcome.getActionId() + " ended twice");
    }
    if (!journaled) {
      records.journalOutcome(outcome);
    }
    listener.finished(outcome);
  }

  private static ActionOutcome take(CompletionService<ActionOutcome> done) {
    try {
      return done.take().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for actions", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("an action failed inside the host", e.getCause());
    }
  }

  /**
   * {@code outcome} with when its action ran: from {@code started} to now. An action that never
   * started (SKIPPED) keeps no times.
   */
  static ActionOutcome timed(ActionOutcome outcome, String started) {
    if (outcome.getStatus() == ActionStatus.ACTION_STATUS_SKIPPED) {
      return outcome;
    }
    return outcome.toBuilder()
        .setStartedAt(started)
        .setFinishedAt(java.time.Instant.now().toString())
        .build();
  }

  /** The outcome of an action that never started, and why. */
  static ActionOutcome skipped(PlanAction action, String reason) {
    ActionOutcome.Builder outcome =
        ActionOutcome.newBuilder()
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
