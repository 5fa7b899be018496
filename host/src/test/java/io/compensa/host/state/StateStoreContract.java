package io.compensa.host.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.host.journal.ApplyJournal;
import io.compensa.host.journal.Journal;
import io.compensa.host.journal.JournalLog;
import io.compensa.host.journal.UnfinishedApplyException;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.FinishedApply;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What every state store and its journal must do, run once per implementation (the file store and
 * PostgreSQL). Each test gets a fresh, empty state from {@link #location()}; {@link #store} opens
 * it again as a second host would (a new object, nothing shared in memory).
 */
public abstract class StateStoreContract {

  /** A new, empty state; later {@link #store} calls open this same state. */
  protected abstract void location() throws Exception;

  /** The store at the current location, opened afresh. */
  protected abstract StateStore store() throws Exception;

  /** The journal of {@code store} (the same object for stores that keep both). */
  protected abstract Journal journal(StateStore store) throws Exception;

  /** Damages the stored state so that it cannot be parsed. */
  protected abstract void damageState() throws Exception;

  /**
   * Makes a write of {@code next} through {@code locked} (holding the lock) fail midway as a crash
   * or a lost connection would.
   */
  protected abstract void interruptWrite(StateStore locked, StateSnapshot next) throws Exception;

  /** Leaves a journal record cut short, as a host dying mid-write does. */
  protected abstract void tearJournal() throws Exception;

  protected static ResourceState resource(String name, String content) {
    return ResourceState.newBuilder()
        .setName(name)
        .setType("localfs_file")
        .setConfig(
            Struct.newBuilder()
                .putFields("content", Value.newBuilder().setStringValue(content).build()))
        .setOutput(
            ResourceOutput.newBuilder()
                .setProviderId("id-" + name)
                .setOutputs(
                    Struct.newBuilder()
                        .putFields(
                            "token",
                            Value.newBuilder().setStringValue("secret:" + name + "/token").build()))
                .addSensitiveKeys("token"))
        .build();
  }

  protected static StateSnapshot snapshot(long serial, ResourceState... resources) {
    return StateSnapshot.newBuilder()
        .setSerial(serial)
        .setLineage("lineage-1")
        .setLastPlanId("plan-" + serial)
        .addAllResources(java.util.List.of(resources))
        .build();
  }

  static Plan plan() {
    return Plan.newBuilder()
        .setId("plan-contract")
        .addActions(
            PlanAction.newBuilder()
                .setId("a1")
                .setKind(ActionKind.ACTION_KIND_CREATE)
                .setResource(ResourceSpec.newBuilder().setName("r1").setType("localfs_file")))
        .addActions(
            PlanAction.newBuilder()
                .setId("a2")
                .setKind(ActionKind.ACTION_KIND_CREATE)
                .setResource(ResourceSpec.newBuilder().setName("r2").setType("localfs_file")))
        .build();
  }

  @Test
  void anAbsentStateReadsEmptyAndAWriteReadsBackEqual() throws Exception {
    location();
    StateStore store = store();
    assertThat(store.read()).isEqualTo(StateSnapshot.getDefaultInstance());
    StateSnapshot one = snapshot(1, resource("a", "1"), resource("b", "2"));
    try (StateLock lock = store.lock("contract")) {
      store.write(one);
      assertThat(store.read()).isEqualTo(one);
      StateSnapshot two =
          snapshot(2, resource("a", "1 changed"), resource("c", "3")).toBuilder()
              .setFinishedApply(
                  FinishedApply.newBuilder()
                      .setPlanId("plan-2")
                      .setStartedAt("2026-12-07T02:00:00Z")
                      .addOutcomes(
                          ActionOutcome.newBuilder()
                              .setActionId("a1")
                              .setResourceName("a")
                              .setKind(ActionKind.ACTION_KIND_UPDATE)
                              .setStatus(ActionStatus.ACTION_STATUS_COMPENSATION_FAILED)
                              .setHookError("no space left on device")))
              .build();
      store.write(two);
      assertThat(store().read()).isEqualTo(two);
    }
    assertThat(store().read().getSerial()).isEqualTo(2);
  }

  @Test
  void aWriteCutShortLeavesTheOldSnapshot() throws Exception {
    location();
    StateSnapshot old = snapshot(1, resource("a", "1"));
    StateStore store = store();
    try (StateLock lock = store.lock("contract")) {
      store.write(old);
      interruptWrite(store, snapshot(2, resource("a", "2"), resource("b", "2")));
    }
    assertThat(store().read()).isEqualTo(old);
  }

  @Test
  void aSecondLockIsRefusedNamingTheHolderAndGoesWhenClosed() throws Exception {
    location();
    StateLock lock = store().lock("apply contract-plan.json");
    try {
      assertThatThrownBy(() -> store().lock("second host"))
          .isInstanceOf(StateLockedException.class)
          .hasMessageContaining("pid " + ProcessHandle.current().pid())
          .hasMessageContaining("apply contract-plan.json")
          .hasMessageContaining("since");
    } finally {
      lock.close();
    }
    try (StateLock again = store().lock("after release")) {
      assertThat(again).isNotNull();
    }
  }

  @Test
  void aLockTimeoutWaitsForTheHolderOrGivesUpNamingIt() throws Exception {
    location();
    StateLock held = store().lock("slow apply");
    assertThatThrownBy(() -> store().lock("impatient", Duration.ofMillis(400)))
        .isInstanceOf(StateLockedException.class)
        .hasMessageContaining("slow apply")
        .hasMessageContaining("waiting");
    AtomicBoolean released = new AtomicBoolean();
    CompletableFuture<Void> release =
        CompletableFuture.runAsync(
            () -> {
              try {
                Thread.sleep(500); // gives the patient lock below time to start waiting
                released.set(
                    true); // before close: the patient lock may be granted the moment it closes
                held.close();
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    try (StateLock mine = store().lock("patient", Duration.ofSeconds(60))) {
      assertThat(released).as("granted only once the holder released the lock").isTrue();
    }
    release.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aDamagedStateIsReportedAndNeverOverwrittenByAReader() throws Exception {
    location();
    StateStore store = store();
    try (StateLock lock = store.lock("contract")) {
      store.write(snapshot(1, resource("a", "1")));
    }
    damageState();
    assertThatThrownBy(() -> store().read())
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("left as it is");
    assertThatThrownBy(() -> store().read()).isInstanceOf(StateStoreException.class);
  }

  @Test
  void anIntentIsDurableBeforeItsCallAndAnUnfinishedApplyBlocksTheNext() throws Exception {
    location();
    StateStore store = store();
    try (StateLock lock = store.lock("apply")) {
      Journal journal = journal(store);
      journal.ensureFinished();
      ApplyJournal apply = journal.begin(plan(), "stop", "pid " + ProcessHandle.current().pid());
      apply.intent("a1", "Create", 1);
      // a second host reads it at once, before the call would be made
      Optional<JournalLog> seen = journal(store()).unfinished();
      assertThat(seen).isPresent();
      assertThat(seen.get().plan().getId()).isEqualTo("plan-contract");
      assertThat(seen.get().calls("a1")).hasSize(1);
      assertThat(seen.get().calls("a2")).isEmpty();
    }
    assertThatThrownBy(() -> journal(store()).ensureFinished())
        .isInstanceOf(UnfinishedApplyException.class)
        .hasMessageContaining("plan-contract")
        .hasMessageContaining("compensa recover");
  }

  @Test
  void aTornLastRecordIsIgnoredAndTheRestRead() throws Exception {
    location();
    StateStore store = store();
    try (StateLock lock = store.lock("apply")) {
      ApplyJournal apply = journal(store).begin(plan(), "stop", "test");
      apply.intent("a1", "Create", 1);
    }
    tearJournal();
    JournalLog left = journal(store()).unfinished().orElseThrow();
    assertThat(left.calls("a1")).hasSize(1);
    assertThat(left.complete()).isFalse();
  }

  @Test
  void resumeAppendsAndCompleteFinishesSoANewApplyMayBegin() throws Exception {
    location();
    StateStore store = store();
    try (StateLock lock = store.lock("apply")) {
      ApplyJournal apply = journal(store).begin(plan(), "rollback", "test");
      apply.intent("a1", "Create", 1);
    }
    tearJournal();
    StateStore second = store();
    try (StateLock lock = second.lock("recover")) {
      Journal journal = journal(second);
      ApplyJournal resumed = journal.resume();
      ResourceState r1 = resource("r1", "x");
      second.write(snapshot(1, r1));
      resumed.succeeded(
          "a1", "Create", 1, io.compensa.proto.v1.CreateResponse.getDefaultInstance());
      resumed.outcome(
          ActionOutcome.newBuilder()
              .setActionId("a1")
              .setResourceName("r1")
              .setStatus(ActionStatus.ACTION_STATUS_SUCCESS)
              .build(),
          Optional.of(r1));
      resumed.outcome(
          ActionOutcome.newBuilder()
              .setActionId("a2")
              .setResourceName("r2")
              .setStatus(ActionStatus.ACTION_STATUS_SKIPPED)
              .build(),
          Optional.empty());
      JournalLog before = journal(store()).unfinished().orElseThrow();
      assertThat(before.failurePolicy()).isEqualTo("rollback");
      resumed.complete();
    }
    assertThat(journal(store()).unfinished()).isEmpty();
    journal(store()).ensureFinished();
    StateStore third = store();
    try (StateLock lock = third.lock("apply again")) {
      journal(third).begin(plan(), "stop", "test").complete();
    }
    assertThat(journal(store()).unfinished()).isEmpty();
    assertThat(store().read().getResourcesList())
        .extracting(ResourceState::getName)
        .containsExactly("r1");
  }

  @Test
  void everyRecordAnApplyJournalsIsReadBackAsWrittenAndACallsOutputKeepsNoSecretValue()
      throws Exception {
    location();
    StateStore store = store();
    try (StateLock lock = store.lock("apply")) {
      ApplyJournal apply = journal(store).begin(plan(), "continue", "test");
      apply.intent("a1", "Create", 1);
      apply.succeeded(
          "a1",
          "Create",
          1,
          io.compensa.proto.v1.CreateResponse.newBuilder()
              .setOutput(
                  ResourceOutput.newBuilder()
                      .setProviderId("id-r1")
                      .setOutputs(
                          Struct.newBuilder()
                              .putFields(
                                  "path", Value.newBuilder().setStringValue("r1.txt").build())
                              .putFields(
                                  "token",
                                  Value.newBuilder().setStringValue("s3cr3t-value").build()))
                      .addSensitiveKeys("token"))
              .build());
      apply.intent("a2", "Update", 1);
      apply.failed("a2", "Update", 1, "the disk is full");
      apply.hookFailed("a1", "smoke test: exit code 1");
      apply.finalized("localfs");
      apply.outcome(
          ActionOutcome.newBuilder()
              .setActionId("a1")
              .setResourceName("r1")
              .setStatus(ActionStatus.ACTION_STATUS_COMPENSATED)
              .build(),
          Optional.empty());

      JournalLog seen = journal(store()).unfinished().orElseThrow();
      assertThat(seen.failurePolicy()).isEqualTo("continue");
      assertThat(seen.calls("a1"))
          .extracting(c -> c.getCall() + " " + c.getPhase())
          .containsExactly("Create PHASE_INTENT", "Create PHASE_SUCCEEDED");
      ResourceOutput journaled = seen.calls("a1").get(1).getOutput();
      assertThat(journaled.getProviderId()).isEqualTo("id-r1");
      assertThat(journaled.getOutputs().getFieldsMap())
          .containsKey("path")
          .doesNotContainKey("token");
      assertThat(journaled.getSensitiveKeysList()).containsExactly("token");
      assertThat(seen.calls("a2"))
          .extracting(c -> c.getPhase() + " " + c.getMessage())
          .containsExactly("PHASE_INTENT ", "PHASE_FAILED the disk is full");
      assertThat(seen.hookFailure("a1")).contains("smoke test: exit code 1");
      assertThat(seen.finalized("localfs")).isTrue();
      assertThat(seen.outcome("a1").orElseThrow().getOutcome().getStatus())
          .isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
      assertThat(seen.outcome("a2")).isEmpty();
      assertThat(seen.complete()).isFalse();

      apply.complete();
    }
    assertThat(journal(store()).unfinished()).isEmpty();
  }
}
