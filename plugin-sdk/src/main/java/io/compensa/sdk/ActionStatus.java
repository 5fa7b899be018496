package io.compensa.sdk;

/**
 * How a plan action ended, as the host recorded it.
 *
 * <p>Immutable and thread-safe.
 */
public enum ActionStatus {
  /** The driver call and every post-driver step succeeded. */
  SUCCESS,
  /** The driver call failed. */
  ERROR,
  /** The driver's Delete failed; the resource still exists. */
  DELETE_FAILED,
  /** The action's effect was undone. */
  COMPENSATED,
  /** Undoing the action failed or was not possible. */
  COMPENSATION_FAILED,
  /** The action did not start. */
  SKIPPED
}
