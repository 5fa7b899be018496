package io.compensa.host.apply;

import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_COMPENSATED;
import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_SUCCESS;
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
import io.compensa.host.state.StateLock;
import io.compensa.host.state.StateStore;
import io.compensa.host.state.StateStoreException;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.JournalBegin;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state persistence step: where an action's record is durable before the action goes on (the
 * state file without a journal, the journal with the file journal, which then writes the state file
 * once at the end), and what happens when that step or the final write fails.
 */
class StatePersistenceTest {
  @TempDir Path dir;

  private Path stateFile() {
    return dir.resolve("state.json");
  }

  /** The file store, whose writes fail while {@code failing} is set; counts its writes. */
  private static final class FlakyStore implements StateStore {
    final FileStateStore store;
    final AtomicBoolean failing = new AtomicBoolean();
    final AtomicInteger writes = new AtomicInteger();

    FlakyStore(Path file) {
      this.store = new FileStateStore(file);
    }

    @Override
    public StateLock lock(String purpose) throws StateStoreException {
      return store.lock(purpose);
    }

    @Override
    public StateSnapshot read() throws StateStoreException {
      return store.read();
    }

    @Override
    public void write(StateSnapshot snapshot) throws StateStoreException {
      if (failing.get()) {
        throw new StateStoreException("the disk is full (injected)");
      }
      writes.incrementAndGet();
      store.write(snapshot);
    }
  }

  private ApplyEngine engine(
      FakePlugin plugin, StateStore store, Journal journal, PostDriverHook hook) {
    return new ApplyEngine(
        new PluginRouter(List.of(plugin)),
        store,
        new FileSecretStore(dir.resolve("secrets.json")),
        ApplyOptions.builder().parallelism(4).journal(journal).hook(hook).build(),
        new ApplyListener() {});
  }

  private static FakePlugin plugin() {
    return new FakePlugin(
        "thing",
        COMPENSATION_POLICY_HOST_INVERSE,
        COMPENSATION_POLICY_HOST_INVERSE,
        COMPENSATION_POLICY_HOST_INVERSE);
  }

  private static Plan plan(int size) {
    Plan.Builder plan = Plan.newBuilder().setId("plan-" + size);
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

  private static List<String> names(StateSnapshot snapshot) {
    return snapshot.getResourcesList().stream().map(ResourceState::getName).toList();
  }

  @Test
  void withoutAJournalEachRecordIsInTheStateFileBeforeTheActionGoesOn() throws Exception {
    FileStateStore store = new FileStateStore(stateFile());
    List<String> missing = Collections.synchronizedList(new ArrayList<>());
    ApplyResult result =
        engine(
                plugin(),
                store,
                Journal.NONE,
                context -> {
                  String name = context.action().getResource().getName();
                  if (!names(store.read()).contains(name)) {
                    missing.add(name);
                  }
                })
            .apply(plan(20), "test");

    assertThat(result.outcomes())
        .extracting(ActionOutcome::getStatus)
        .containsOnly(ACTION_STATUS_SUCCESS);
    assertThat(missing).isEmpty();
    assertThat(names(store.read())).hasSize(20);
  }

  @Test
  void
      withTheFileJournalEachRecordIsInTheJournalBeforeTheActionGoesOnAndTheStateFileIsWrittenAtTheEnd()
          throws Exception {
    FlakyStore store = new FlakyStore(stateFile());
    FileJournal journal = new FileJournal(stateFile());
    List<String> missing = Collections.synchronizedList(new ArrayList<>());
    ApplyResult result =
        engine(
                plugin(),
                store,
                journal,
                context -> {
                  String name = context.action().getResource().getName();
                  try {
                    JournalLog log = journal.unfinished().orElseThrow();
                    if (log.states().getOrDefault(name, Optional.empty()).isEmpty()) {
                      missing.add(name);
                    }
                  } catch (JournalException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .apply(plan(20), "test");

    assertThat(result.outcomes())
        .extracting(ActionOutcome::getStatus)
        .containsOnly(ACTION_STATUS_SUCCESS);
    assertThat(result.problems()).isEmpty();
    assertThat(result.stateSaved()).isTrue();
    assertThat(missing).isEmpty();
    assertThat(store.writes.get()).isEqualTo(1);
    assertThat(names(store.read())).hasSize(20);
    assertThat(journal.unfinished()).isEmpty();
  }

  @Test
  void aStateFileThatCannotBeWrittenAtTheEndLeavesTheJournalForRecover() throws Exception {
    FlakyStore store = new FlakyStore(stateFile());
    FileJournal journal = new FileJournal(stateFile());
    FakePlugin plugin = plugin();
    store.failing.set(true);
    ApplyResult result = engine(plugin, store, journal, context -> {}).apply(plan(5), "test");

    assertThat(result.outcomes())
        .extracting(ActionOutcome::getStatus)
        .containsOnly(ACTION_STATUS_SUCCESS);
    assertThat(result.problems())
        .anySatisfy(p -> assertThat(p).contains("the disk is full").contains("recover"));
    assertThat(result.stateSaved()).isFalse();
    assertThat(journal.unfinished()).isPresent();
    assertThat(store.read().getResourcesList()).isEmpty();

    store.failing.set(false);
    Optional<ApplyResult> recovered =
        engine(plugin, store, journal, context -> {}).recover("recover");
    assertThat(recovered).isPresent();
    assertThat(recovered.get().outcomes())
        .extracting(ActionOutcome::getStatus)
        .containsOnly(ACTION_STATUS_SUCCESS);
    assertThat(recovered.get().stateSaved()).isTrue();
    assertThat(names(store.read())).containsExactlyInAnyOrder("r0", "r1", "r2", "r3", "r4");
    assertThat(journal.unfinished()).isEmpty();
    assertThat(plugin.world).hasSize(5);
  }

  @Test
  void aFailedStateWriteWithoutAJournalCompensatesTheAction() throws Exception {
    FlakyStore store = new FlakyStore(stateFile());
    FakePlugin plugin = plugin();
    store.failing.set(true);
    ApplyResult result = engine(plugin, store, Journal.NONE, context -> {}).apply(plan(1), "test");

    ActionOutcome outcome = result.outcomes().get(0);
    assertThat(outcome.getStatus()).isEqualTo(ACTION_STATUS_COMPENSATED);
    assertThat(outcome.getHookError())
        .startsWith("state persistence: ")
        .contains("the disk is full");
    assertThat(plugin.world).isEmpty();
  }

  @Test
  void aStateRecordTheJournalCannotKeepCompensatesTheAction() throws Exception {
    FlakyStore store = new FlakyStore(stateFile());
    FakePlugin plugin = plugin();
    Journal failingStateRecords = new FailingStateRecords(new FileJournal(stateFile()));
    ApplyResult result =
        engine(plugin, store, failingStateRecords, context -> {}).apply(plan(1), "test");

    ActionOutcome outcome = result.outcomes().get(0);
    assertThat(outcome.getStatus()).isEqualTo(ACTION_STATUS_COMPENSATED);
    assertThat(outcome.getHookError())
        .startsWith("state persistence: ")
        .contains("cannot sync (injected)");
    assertThat(plugin.world).isEmpty();
    assertThat(store.read().getResourcesList()).isEmpty();
  }

  /** A file journal whose state records cannot be made durable. */
  private static final class FailingStateRecords implements Journal {
    private final Journal journal;

    FailingStateRecords(Journal journal) {
      this.journal = journal;
    }

    @Override
    public String location() {
      return journal.location();
    }

    @Override
    public void ensureFinished() throws JournalException {
      journal.ensureFinished();
    }

    @Override
    public ApplyJournal begin(JournalBegin begin) throws JournalException {
      ApplyJournal started = journal.begin(begin);
      return new ApplyJournal() {
        @Override
        public void intent(String actionId, String call, int attempt) throws JournalException {
          started.intent(actionId, call, attempt);
        }

        @Override
        public void succeeded(String actionId, String call, int attempt, Object response) {
          started.succeeded(actionId, call, attempt, response);
        }

        @Override
        public void failed(String actionId, String call, int attempt, String message) {
          started.failed(actionId, call, attempt, message);
        }

        @Override
        public void hookFailed(String actionId, String error) {
          started.hookFailed(actionId, error);
        }

        @Override
        public void outcome(ActionOutcome outcome, Optional<ResourceState> record) {
          started.outcome(outcome, record);
        }

        @Override
        public boolean keepsState() {
          return true;
        }

        @Override
        public void state(String name, Optional<ResourceState> record) throws JournalException {
          throw new JournalException("cannot sync (injected)");
        }

        @Override
        public void finalized(String plugin) {
          started.finalized(plugin);
        }

        @Override
        public void complete() throws JournalException {
          started.complete();
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
}
