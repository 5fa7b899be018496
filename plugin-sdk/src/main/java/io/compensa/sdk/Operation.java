package io.compensa.sdk;

/**
 * One driver call a resource type supports, as listed in the plugin's manifest.
 *
 * <p>Immutable and thread-safe.
 */
public enum Operation {
  /** {@link ResourceDriver#create}. */
  CREATE,
  /** {@link ResourceDriver#read}. */
  READ,
  /** {@link ResourceDriver#update}. */
  UPDATE,
  /** {@link ResourceDriver#delete}. */
  DELETE,
  /** {@link ResourceDriver#diff}. */
  DIFF
}
