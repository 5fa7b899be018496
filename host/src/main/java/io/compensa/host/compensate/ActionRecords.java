package io.compensa.host.compensate;

import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ResourceState;
import java.util.Optional;

/**
 * The apply's record of its resources as the rollback cascade sees it: what each resource's record
 * is now, how a settled record is written, and how an outcome is journaled. The apply engine
 * supplies it. Implementations are thread-safe: compensations run on several threads at once.
 */
public interface ActionRecords {
  /** The current record of resource {@code name}; empty when none. */
  Optional<ResourceState> get(String name);

  /**
   * Sets and writes the record of {@code name} that matches the world; a failed write is reported,
   * not thrown.
   */
  void settle(String name, Optional<ResourceState> record);

  /** Journals {@code outcome} with the current record of its resource. */
  void journalOutcome(ActionOutcome outcome);

  /**
   * Removes the secrets stored under {@code scope} (a resource's name, or {@code name/actionId} for
   * the new object of a create-before-delete replace); a failure is reported, not thrown.
   */
  void forgetSecrets(String scope);
}
