package io.compensa.host.apply;

import static io.compensa.proto.v1.CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE;
import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.endpoint.PluginRouter;
import io.compensa.host.journal.ApplyJournal;
import io.compensa.host.journal.FileJournal;
import io.compensa.host.journal.Journal;
import io.compensa.host.journal.JournalException;
import io.compensa.host.journal.JournalLog;
import io.compensa.host.secrets.FileSecretStore;
import io.compensa.host.state.FileStateStore;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.JournalBegin;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's disk stops taking writes in the middle of an apply (simulated: after the third
 * intent every append is lost and every durable one fails). Whatever {@code apply} reports for an
 * action is what {@code recover}, reading the journal file afterwards, reports for it: an action
 * whose first intent could not be journaled never started, in both; and the state matches the
 * world.
 */
class JournalFailureTest {
  @TempDir Path dir;

  /**
   * The file journal, whose apply journal refuses the intent after the first {@code intents} and
   * from then on loses every append and fails every durable write and the completion; it can be
   * removed ({@link ApplyJournal#abandon}) only when {@code removable}.
   */
  private static final class BreakingJournal implements Journal {
    private final Journal journal;
    private final int intents;
    private final boolean removable;
    private final boolean breakAtFirstRecord;
    final AtomicInteger refused = new AtomicInteger();

    BreakingJournal(Journal journal, int intents, boolean removable) {
      this(journal, intents, removable, false);
    }

    /**
     * @param breakAtFirstRecord break at the first state record instead (after a driver call whose
     *     intent and result were journaled), whatever {@code intents} says
     */
    BreakingJournal(Journal journal, int intents, boolean removable, boolean breakAtFirstRecord) {
      this.journal = journal;
      this.intents = intents;
      this.removable = removable;
      this.breakAtFirstRecord = breakAtFirstRecord;
    }

    @Override
    public String location() {
      return journal.location();
    }

    @Override
    public ApplyJournal begin(JournalBegin begin) throws JournalException {
      ApplyJournal started = journal.begin(begin);
      AtomicInteger seen = new AtomicInteger();
      return new ApplyJournal() {
        private boolean broken() {
          return refused.get() > 0;
        }

        @Override
        public void intent(String actionId, String call, int attempt) throws JournalException {
          if (broken() || seen.get() >= intents) {
            refused.incrementAndGet();
            throw new JournalException(
                "cannot record the intent of " + call + ": no space left on device (injected)");
          }
          seen.incrementAndGet();
          started.intent(actionId, call, attempt);
        }

        @Override
        public void succeeded(String actionId, String call, int attempt, Object response) {
          if (!broken()) {
            started.succeeded(actionId, call, attempt, response);
          }
        }

        @Override
        public void failed(String actionId, String call, int attempt, String message) {
          if (!broken()) {
            started.failed(actionId, call, attempt, message);
          }
        }

        @Override
        public void hookFailed(String actionId, String error) {
          if (!broken()) {
            started.hookFailed(actionId, error);
          }
        }

        @Override
        public boolean keepsState() {
          return started.keepsState();
        }

        @Override
        public void state(String name, Optional<ResourceState> record) throws JournalException {
          if (breakAtFirstRecord) {
            refused.incrementAndGet();
          }
          if (broken()) {
            throw new JournalException("no space left on device (injected)");
          }
          started.state(name, record);
        }

        @Override
        public void outcome(ActionOutcome outcome, Optional<ResourceState> record) {
          if (!broken()) {
            started.outcome(outcome, record);
          }
        }

        @Override
        public void finalized(String plugin) {
          if (!broken()) {
            started.finalized(plugin);
          }
        }

        @Override
        public void complete() throws JournalException {
          throw new JournalException("no space left on device (injected)");
        }

        @Override
        public void abandon() throws JournalException {
          if (!removable) {
            throw new JournalException("read-only file system (injected)");
          }
          started.abandon();
        }
      };
    }

    @Override
    public Optional<JournalLog> unfinished() throws JournalException {
      return journal.unfinished();
    }

    @Override
    public ApplyJournal resume() throws JournalException {
      return journal.resume();
    }
  }

  @Test
  void whenTheJournalCannotBeCompletedNorRemovedRecoverReportsWhatApplyReported() throws Exception {
    Path stateFile = dir.resolve("state.json");
    FakePlugin plugin = plugin();
    BreakingJournal breaking = new BreakingJournal(new FileJournal(stateFile), 3, false);

    ApplyResult applied =
        engine(plugin, stateFile, breaking, FailurePolicy.CONTINUE).apply(plan(6), "test");

    assertThat(breaking.refused.get())
        .as("the journal refused the intents of three Creates")
        .isGreaterThanOrEqualTo(3);
    assertThat(statuses(applied.outcomes()).values())
        .containsExactly(
            ActionStatus.ACTION_STATUS_SUCCESS,
            ActionStatus.ACTION_STATUS_SUCCESS,
            ActionStatus.ACTION_STATUS_SUCCESS,
            ActionStatus.ACTION_STATUS_SKIPPED,
            ActionStatus.ACTION_STATUS_SKIPPED,
            ActionStatus.ACTION_STATUS_SKIPPED);
    for (ActionOutcome outcome : applied.outcomes().subList(3, 6)) {
      assertThat(outcome.getSkipReason())
          .startsWith("not started: cannot record the intent of Create");
    }
    assertThat(applied.stateSaved()).isFalse();
    assertThat(applied.problems())
        .anySatisfy(p -> assertThat(p).contains("run `compensa recover` before the next apply"));

    Optional<ApplyResult> recovered =
        engine(plugin, stateFile, new FileJournal(stateFile), FailurePolicy.CONTINUE)
            .recover("test recover");

    assertThat(recovered).as("the journal was left unfinished").isPresent();
    assertThat(statuses(recovered.get().outcomes())).isEqualTo(statuses(applied.outcomes()));
    assertStateMatchesWorld(stateFile, plugin, 3);
  }

  @Test
  void whenTheJournalCannotBeCompletedItIsRemovedAndApplysOutcomesAreTheOnlyOnes()
      throws Exception {
    Path stateFile = dir.resolve("state.json");
    FakePlugin plugin = plugin();
    BreakingJournal breaking = new BreakingJournal(new FileJournal(stateFile), 3, true);

    ApplyResult applied =
        engine(plugin, stateFile, breaking, FailurePolicy.CONTINUE).apply(plan(6), "test");

    assertThat(breaking.refused.get()).isGreaterThanOrEqualTo(3);
    assertThat(applied.stateSaved()).isTrue();
    assertThat(applied.problems()).anySatisfy(p -> assertThat(p).contains("so it was removed"));
    assertThat(new FileJournal(stateFile).unfinished()).isEmpty();
    assertThat(
            engine(plugin, stateFile, new FileJournal(stateFile), FailurePolicy.CONTINUE)
                .recover("test recover"))
        .as("nothing is left to settle a second time")
        .isEmpty();
    assertStateMatchesWorld(stateFile, plugin, 3);
  }

  @Test
  void whenTheJournalBreaksAfterADriverCallRecoverReportsWhatApplyReportedAndSettlesNothingAgain()
      throws Exception {
    Path stateFile = dir.resolve("state.json");
    FakePlugin plugin = plugin();
    BreakingJournal breaking = new BreakingJournal(new FileJournal(stateFile), 99, false, true);

    ApplyResult applied =
        engine(plugin, stateFile, breaking, FailurePolicy.CONTINUE).apply(plan(3), "test");

    // the first Create's call and result were journaled, then its record could not be: the
    // persistence step failed, and the inverse Delete could not be journaled, so it was not made
    assertThat(breaking.refused.get()).as("the journal broke").isGreaterThan(0);
    ActionOutcome first = applied.outcomes().get(0);
    assertThat(first.getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATION_FAILED);
    assertThat(first.getHookError()).contains("no space left on device (injected)");
    assertThat(statuses(applied.outcomes()).values())
        .containsExactly(
            ActionStatus.ACTION_STATUS_COMPENSATION_FAILED,
            ActionStatus.ACTION_STATUS_SKIPPED,
            ActionStatus.ACTION_STATUS_SKIPPED);
    assertThat(applied.stateSaved()).isFalse();
    assertStateMatchesWorld(stateFile, plugin, 1);
    int callsBefore = plugin.calls.size();

    Optional<ApplyResult> recovered =
        engine(plugin, stateFile, new FileJournal(stateFile), FailurePolicy.CONTINUE)
            .recover("test recover");

    assertThat(recovered).as("the journal was left unfinished").isPresent();
    assertThat(recovered.get().outcomes())
        .as("recover reports exactly what apply reported")
        .isEqualTo(
            applied.outcomes().stream()
                .map(o -> o.toBuilder().clearDriverOutput().build())
                .toList());
    assertThat(recovered.get().problems())
        .anySatisfy(p -> assertThat(p).contains("the apply had already finished"));
    assertThat(plugin.calls.subList(callsBefore, plugin.calls.size()))
        .as("recover settled nothing again")
        .isEmpty();
    assertThat(new FileJournal(stateFile).unfinished()).as("the journal is closed").isEmpty();
    assertStateMatchesWorld(stateFile, plugin, 1);
  }

  private static FakePlugin plugin() {
    return new FakePlugin(
        "thing",
        COMPENSATION_POLICY_HOST_INVERSE,
        COMPENSATION_POLICY_HOST_INVERSE,
        COMPENSATION_POLICY_HOST_INVERSE);
  }

  private static void assertStateMatchesWorld(Path stateFile, FakePlugin plugin, int resources)
      throws Exception {
    List<String> recorded =
        new FileStateStore(stateFile)
            .read().getResourcesList().stream()
                .map(r -> r.getOutput().getProviderId())
                .sorted()
                .toList();
    assertThat(recorded)
        .hasSize(resources)
        .isEqualTo(plugin.world.keySet().stream().sorted().toList());
  }

  private ApplyEngine engine(
      FakePlugin plugin, Path stateFile, Journal journal, FailurePolicy policy) {
    return new ApplyEngine(
        new PluginRouter(List.of(plugin)),
        new FileStateStore(stateFile),
        new FileSecretStore(dir.resolve("secrets.json")),
        ApplyOptions.builder().parallelism(1).failurePolicy(policy).journal(journal).build(),
        new ApplyListener() {});
  }

  private static Map<String, ActionStatus> statuses(List<ActionOutcome> outcomes) {
    Map<String, ActionStatus> statuses = new LinkedHashMap<>();
    for (ActionOutcome outcome : outcomes) {
      statuses.put(outcome.getActionId(), outcome.getStatus());
    }
    return statuses;
  }

  private static Plan plan(int size) {
    Plan.Builder plan = Plan.newBuilder().setId("journal-breaks");
    for (int i = 0; i < size; i++) {
      plan.addActions(
          PlanAction.newBuilder()
              .setId("create-r" + i)
              .setKind(ActionKind.ACTION_KIND_CREATE)
              .setResource(
                  ResourceSpec.newBuilder()
                      .setName("r" + i)
                      .setType("thing")
                      .setConfig(FakePlugin.config("v", "1"))));
    }
    return plan.build();
  }
}
