package io.compensa.host.apply;

import io.compensa.host.journal.ApplyJournal;
import io.compensa.host.journal.GroupedForce;
import io.compensa.host.journal.JournalException;
import io.compensa.host.state.StateStore;
import io.compensa.host.state.StateStoreException;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.FinishedApply;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The state during an apply: the snapshot read at the start, changed action by action, and made
 * durable whenever an action's record changes ({@link #persist}). Thread-safe.
 *
 * <p>Where a change is made durable depends on the journal. A journal that keeps the state's
 * records ({@link ApplyJournal#keepsState()}, the file journal) is the state's write-ahead log:
 * persisting a change appends the resource's record to it, durably (grouped with other threads'
 * appends), and the whole snapshot goes to the store only at {@link #checkpoint()} (when the apply
 * ends); a host that dies in between leaves the records in the journal, and recovery replays them
 * into the state. Otherwise (no journal, or one that does not keep records) persisting writes the
 * whole snapshot to the store, so a change is in the store before the action goes on.
 *
 * <p>Whole-snapshot writes are grouped like the journal's forces ({@link GroupedForce}): each
 * caller needs a write that includes its change; one writes everything changed so far, and the
 * callers that waited meanwhile find their change already written. A parallel apply thus writes the
 * whole snapshot far fewer times than it has actions.
 */
final class WorkingState {
  private final StateStore store;
  private final ApplyJournal journal;
  private final Map<String, ResourceState> resources = new TreeMap<>();
  private final String lineage;
  private final String planId;
  private long serial;

  /** How the apply ended, once {@link #finished} said so; guarded by {@code this}. */
  private FinishedApply finished;

  /** Counts changes made by {@link #set}; guarded by {@code this}. */
  private long changes;

  /** Groups the whole-snapshot writes: a write covers every change counted before it began. */
  private final GroupedForce<StateStoreException> writes =
      new GroupedForce<>(this::writeNow, this::changesSoFar);

  private final Object writeLock = new Object();

  WorkingState(StateStore store, ApplyJournal journal, StateSnapshot start, String planId) {
    this.store = store;
    this.journal = journal;
    this.planId = planId;
    this.lineage = start.getLineage().isEmpty() ? UUID.randomUUID().toString() : start.getLineage();
    this.serial = start.getSerial();
    for (ResourceState resource : start.getResourcesList()) {
      resources.put(resource.getName(), resource);
    }
  }

  private synchronized long changesSoFar() {
    return changes;
  }

  synchronized Optional<ResourceState> get(String name) {
    return Optional.ofNullable(resources.get(name));
  }

  /** Records {@code resource} (or removes {@code name} when empty) in memory only. */
  synchronized void set(String name, Optional<ResourceState> resource) {
    if (resource.isPresent()) {
      resources.put(name, resource.get());
    } else {
      resources.remove(name);
    }
    changes++;
  }

  /**
   * The state persistence step for resource {@code name}: returns once its current record (and
   * every change made before this call, when the whole snapshot is written) is durable, in the
   * journal that keeps the state's records or else in the store.
   */
  void persist(String name) throws StateStoreException {
    if (journal.keepsState()) {
      try {
        journal.state(name, get(name));
      } catch (JournalException e) {
        throw new StateStoreException(e.getMessage(), e);
      }
      return;
    }
    write(false);
  }

  /**
   * Writes the whole snapshot to the store unless the store already holds every change made so far;
   * after it returns, the store no longer needs the journal's records.
   */
  void checkpoint() throws StateStoreException {
    write(true);
  }

  private void write(boolean skipWhenUnchanged) throws StateStoreException {
    long mine;
    synchronized (this) {
      mine = changes;
    }
    if (mine == 0 && !skipWhenUnchanged) {
      writeNow(); // nothing changed, and a write is asked for all the same
    } else {
      writes.awaitDurable(mine);
    }
  }

  /** Writes the whole snapshot to the store; one thread at a time (see {@link GroupedForce}). */
  private void writeNow() throws StateStoreException {
    synchronized (writeLock) {
      StateSnapshot snapshot;
      synchronized (this) {
        snapshot = snapshot(serial + 1);
      }
      store.write(snapshot);
      synchronized (this) {
        serial++;
      }
    }
  }

  /**
   * Records how the apply ended ({@code outcomes} in plan order, their driver output left out), for
   * the next whole-snapshot write: the one that finishes the apply.
   */
  synchronized void finished(String startedAt, List<ActionOutcome> outcomes) {
    FinishedApply.Builder done =
        FinishedApply.newBuilder().setPlanId(planId).setStartedAt(startedAt);
    for (ActionOutcome outcome : outcomes) {
      done.addOutcomes(outcome.toBuilder().clearDriverOutput());
    }
    finished = done.build();
    changes++;
  }

  synchronized StateSnapshot snapshot() {
    return snapshot(serial);
  }

  private StateSnapshot snapshot(long withSerial) {
    StateSnapshot.Builder snapshot =
        StateSnapshot.newBuilder()
            .setSerial(withSerial)
            .setLineage(lineage)
            .setLastPlanId(planId)
            .addAllResources(resources.values());
    if (finished != null) {
      snapshot.setFinishedApply(finished);
    }
    return snapshot.build();
  }
}
