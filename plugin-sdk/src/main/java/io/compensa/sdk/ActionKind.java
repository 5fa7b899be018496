package io.compensa.sdk;

/**
 * What a plan action does to a resource.
 *
 * <p>Immutable and thread-safe.
 */
public enum ActionKind {
  /** Make a resource that does not exist. */
  CREATE,
  /** Change a resource in place. */
  UPDATE,
  /** Delete a resource and create it again. */
  REPLACE,
  /** Remove a resource. */
  DELETE
}
