package io.compensa.sdk;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ResourceDriver#diff} decided: the change needed to get from the recorded state to the
 * desired spec, and which configuration keys differ.
 *
 * <p>Immutable and thread-safe.
 *
 * @param change the change needed
 * @param changedKeys the configuration keys that differ
 * @param replaceKeys the subset of {@code changedKeys} that forces a replace
 */
public record DiffResult(Change change, List<String> changedKeys, List<String> replaceKeys) {

  /** The kind of change a diff calls for. */
  public enum Change {
    /** Desired and recorded agree: nothing to do. */
    NONE,
    /** The resource can be changed in place. */
    UPDATE,
    /** The resource must be deleted and created again. */
    REPLACE
  }

  /**
   * Creates the diff result, checking and copying its fields.
   *
   * @param change the change needed
   * @param changedKeys the configuration keys that differ
   * @param replaceKeys the subset of {@code changedKeys} that forces a replace
   */
  public DiffResult {
    Objects.requireNonNull(change, "change");
    changedKeys = List.copyOf(changedKeys == null ? List.of() : changedKeys);
    replaceKeys = List.copyOf(replaceKeys == null ? List.of() : replaceKeys);
    if (!changedKeys.containsAll(replaceKeys)) {
      throw new IllegalArgumentException(
          "replace keys " + replaceKeys + " must all be among the changed keys " + changedKeys);
    }
  }

  /**
   * Returns the result for a resource that needs no change.
   *
   * @return the result
   */
  public static DiffResult none() {
    return new DiffResult(Change.NONE, List.of(), List.of());
  }

  /**
   * Returns the result for a resource that can be changed in place.
   *
   * @param changedKeys the configuration keys that differ
   * @return the result
   */
  public static DiffResult update(Collection<String> changedKeys) {
    return new DiffResult(Change.UPDATE, List.copyOf(changedKeys), List.of());
  }

  /**
   * Returns the result for a resource that must be replaced.
   *
   * @param changedKeys the configuration keys that differ
   * @param replaceKeys the keys among them that force the replace
   * @return the result
   */
  public static DiffResult replace(Collection<String> changedKeys, Collection<String> replaceKeys) {
    return new DiffResult(Change.REPLACE, List.copyOf(changedKeys), List.copyOf(replaceKeys));
  }
}
