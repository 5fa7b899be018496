package io.compensa.host.apply;

import io.compensa.host.endpoint.DriverCallException;
import io.compensa.host.endpoint.PluginEndpoint;
import io.compensa.host.endpoint.PluginRouter;

import io.compensa.host.state.StateStore;
import io.compensa.host.state.StateStoreException;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The state during an apply: the snapshot read at the start, changed action by action, and written
 * through to the store whenever an action's record changes. Thread-safe.
 *
 * <p>Writes are grouped like the journal's forces: each caller of {@link #persist()} needs a write
 * that includes its change; the first to reach the store writes everything changed so far, and the
 * callers that waited meanwhile find their change already written. A parallel apply thus writes the
 * whole snapshot far fewer times than it has actions.
 */
final class WorkingState {
  private final StateStore store;
  private final Map<String, ResourceState> resources = new TreeMap<>();
  private final String lineage;
  private final String planId;
  private long serial;
  /** Counts changes made by {@link #set}; guarded by {@code this}. */
  private long changes;
  /** The change count the last successful write included; guarded by {@link #writeLock}. */
  private long written;
  private final Object writeLock = new Object();

  WorkingState(StateStore store, StateSnapshot start, String planId) {
    this.store = store;
    this.planId = planId;
    this.lineage = start.getLineage().isEmpty() ? UUID.randomUUID().toString() : start.getLineage();
    this.serial = start.getSerial();
    for (ResourceState resource : start.getResourcesList()) {
      resources.put(resource.getName(), resource);
    }
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
   * Returns once the store holds a record that includes every change made before this call: writes
   * the whole current record, unless a write that started after those changes already did.
   */
  void persist() throws StateStoreException {
    long mine;
    synchronized (this) {
      mine = changes;
    }
    synchronized (writeLock) {
      if (written >= mine && mine > 0) {
        return; // another caller's write included this change
      }
      StateSnapshot snapshot;
      long covered;
      synchronized (this) {
        covered = changes;
        snapshot = snapshot(serial + 1);
      }
      store.write(snapshot);
      synchronized (this) {
        serial++;
      }
      written = covered;
    }
  }

  synchronized StateSnapshot snapshot() {
    return snapshot(serial);
  }

  private StateSnapshot snapshot(long withSerial) {
    return StateSnapshot.newBuilder()
        .setSerial(withSerial)
        .setLineage(lineage)
        .setLastPlanId(planId)
        .addAllResources(resources.values())
        .build();
  }
}
