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
 */
final class WorkingState {
  private final StateStore store;
  private final Map<String, ResourceState> resources = new TreeMap<>();
  private final String lineage;
  private final String planId;
  private long serial;

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
  }

  /** Writes the whole current record to the store. */
  synchronized void persist() throws StateStoreException {
    StateSnapshot snapshot = snapshot(serial + 1);
    store.write(snapshot);
    serial++;
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
