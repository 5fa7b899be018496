package io.compensa.sdk;

/**
 * How the host undoes an action whose driver call succeeded but whose post-driver work failed.
 *
 * <p>Declared per action kind with {@link ResourceType.Builder#compensation}. Immutable and
 * thread-safe.
 */
public enum CompensationPolicy {
  /** Not compensable: the action ends COMPENSATION_FAILED and stays recorded for an operator. */
  NONE,
  /**
   * The host makes the inverse driver call: Delete what was created, Create again what was deleted,
   * Update back what was updated. The type must support that inverse operation.
   */
  HOST_INVERSE,
  /** The host asks the plugin's {@link Compensator}, which must be registered. */
  PLUGIN
}
