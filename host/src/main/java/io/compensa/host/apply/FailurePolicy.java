package io.compensa.host.apply;

/** What the rest of an apply does after an action fails to reach its desired state. */
public enum FailurePolicy {
  /** No new action starts; in-flight ones finish; the rest are skipped. */
  STOP,
  /** Only the actions that depend on the failed one are skipped. */
  CONTINUE,
  /** As {@link #STOP}, then every action that took effect is compensated, dependents first. */
  ROLLBACK
}
