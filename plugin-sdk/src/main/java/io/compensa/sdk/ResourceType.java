package io.compensa.sdk;

import io.compensa.sdk.internal.JsonValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One kind of resource a plugin drives, as its manifest describes it: name, supported operations,
 * compensation policy per action kind, and sample configurations.
 *
 * <p>Build one with {@link #builder(String)}. By default a type supports every {@link Operation}
 * and declares {@link CompensationPolicy#NONE} for every action kind. Immutable and thread-safe.
 */
public final class ResourceType {

  private final String name;
  private final String description;
  private final Set<Operation> operations;
  private final CompensationPolicy createPolicy;
  private final CompensationPolicy updatePolicy;
  private final CompensationPolicy deletePolicy;
  private final boolean createBeforeDelete;
  private final List<Map<String, Object>> sampleConfigs;

  private ResourceType(Builder builder) {
    this.name = builder.name;
    this.description = builder.description;
    this.operations = Set.copyOf(builder.operations);
    this.createPolicy = builder.createPolicy;
    this.updatePolicy = builder.updatePolicy;
    this.deletePolicy = builder.deletePolicy;
    this.createBeforeDelete = builder.createBeforeDelete;
    this.sampleConfigs = List.copyOf(builder.sampleConfigs);
  }

  /**
   * Starts describing a resource type.
   *
   * @param name the type's name, unique across the plugins a host loads (for example {@code
   *     "localfs_file"})
   * @return a builder
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Returns the type's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the one-sentence description for operators.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * Returns the supported operations.
   *
   * @return an unmodifiable set
   */
  public Set<Operation> operations() {
    return operations;
  }

  /**
   * Returns how a successful Create is undone.
   *
   * @return the policy
   */
  public CompensationPolicy createPolicy() {
    return createPolicy;
  }

  /**
   * Returns how a successful Update is undone.
   *
   * @return the policy
   */
  public CompensationPolicy updatePolicy() {
    return updatePolicy;
  }

  /**
   * Returns how a successful Delete is undone.
   *
   * @return the policy
   */
  public CompensationPolicy deletePolicy() {
    return deletePolicy;
  }

  /**
   * Returns whether a replace creates the new resource first.
   *
   * @return true to create first
   */
  public boolean createBeforeDelete() {
    return createBeforeDelete;
  }

  /**
   * Returns example configurations valid for this type.
   *
   * @return an unmodifiable list
   */
  public List<Map<String, Object>> sampleConfigs() {
    return sampleConfigs;
  }

  /** Returns whether any action kind is compensated by the plugin's {@link Compensator}. */
  boolean needsCompensator() {
    return createPolicy == CompensationPolicy.PLUGIN
        || updatePolicy == CompensationPolicy.PLUGIN
        || deletePolicy == CompensationPolicy.PLUGIN;
  }

  @Override
  public String toString() {
    return "ResourceType[" + name + "]";
  }

  /** Collects a resource type's description. Not thread-safe: use it from one thread. */
  public static final class Builder {
    private final String name;
    private String description = "";
    private Set<Operation> operations = EnumSet.allOf(Operation.class);
    private CompensationPolicy createPolicy = CompensationPolicy.NONE;
    private CompensationPolicy updatePolicy = CompensationPolicy.NONE;
    private CompensationPolicy deletePolicy = CompensationPolicy.NONE;
    private boolean createBeforeDelete;
    private final List<Map<String, Object>> sampleConfigs = new ArrayList<>();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Sets the one-sentence description operators see.
     *
     * @param description the description
     * @return this builder
     */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /**
     * Sets the supported operations; CREATE, READ and DELETE are required.
     *
     * @param supported the operations the driver implements
     * @return this builder
     */
    public Builder operations(Operation... supported) {
      this.operations =
          supported.length == 0
              ? EnumSet.noneOf(Operation.class)
              : EnumSet.copyOf(Arrays.asList(supported));
      return this;
    }

    /**
     * Sets how a Create is undone when the host's work after the successful call fails
     * (HOST_INVERSE: the host deletes what was created). Unset, a Create is not compensable (NONE).
     *
     * @param policy the policy for undoing a Create
     * @return this builder
     */
    public Builder compensateCreate(CompensationPolicy policy) {
      this.createPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets how an Update is undone when the host's work after the successful call fails
     * (HOST_INVERSE: the host updates back to the prior configuration). Unset: NONE.
     *
     * @param policy the policy for undoing an Update
     * @return this builder
     */
    public Builder compensateUpdate(CompensationPolicy policy) {
      this.updatePolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets how a Delete is undone when the host's work after the successful call fails
     * (HOST_INVERSE: the host creates the resource again from its prior configuration). Unset:
     * NONE.
     *
     * @param policy the policy for undoing a Delete
     * @return this builder
     */
    public Builder compensateDelete(CompensationPolicy policy) {
      this.deletePolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets how each action kind is undone, by position.
     *
     * @param create how a Create is undone
     * @param update how an Update is undone
     * @param delete how a Delete is undone
     * @return this builder
     * @deprecated three arguments of one type are easy to swap: use {@link #compensateCreate},
     *     {@link #compensateUpdate} and {@link #compensateDelete}
     */
    @Deprecated
    public Builder compensation(
        CompensationPolicy create, CompensationPolicy update, CompensationPolicy delete) {
      return compensateCreate(create).compensateUpdate(update).compensateDelete(delete);
    }

    /**
     * Makes a replace create the new resource before deleting the old one.
     *
     * @param createFirst true to create first
     * @return this builder
     */
    public Builder createBeforeDelete(boolean createFirst) {
      this.createBeforeDelete = createFirst;
      return this;
    }

    /**
     * Adds an example configuration valid for this type; conformance checks create it.
     *
     * @param config JSON-like values
     * @return this builder
     */
    public Builder sampleConfig(Map<String, Object> config) {
      sampleConfigs.add(JsonValues.copyObject(config));
      return this;
    }

    /**
     * Checks the description and returns the type.
     *
     * @return the resource type
     * @throws IllegalStateException when the name is blank, a required operation is missing, or a
     *     HOST_INVERSE policy needs an operation the type does not support
     */
    public ResourceType build() {
      if (name.isBlank()) {
        throw new IllegalStateException(
            "a resource type needs a name: pass it to ResourceType.builder(name)");
      }
      for (Operation required : List.of(Operation.CREATE, Operation.READ, Operation.DELETE)) {
        if (!operations.contains(required)) {
          throw new IllegalStateException(
              "resource type \""
                  + name
                  + "\" must support "
                  + required
                  + ": add it to .operations(...)");
        }
      }
      requireInverse("create", createPolicy, Operation.DELETE);
      requireInverse("update", updatePolicy, Operation.UPDATE);
      requireInverse("delete", deletePolicy, Operation.CREATE);
      return new ResourceType(this);
    }

    private void requireInverse(String kind, CompensationPolicy policy, Operation inverse) {
      if (policy == CompensationPolicy.HOST_INVERSE && !operations.contains(inverse)) {
        throw new IllegalStateException(
            "resource type \""
                + name
                + "\" compensates "
                + kind
                + " with HOST_INVERSE, which needs "
                + inverse
                + ": add "
                + inverse
                + " to .operations(...) or choose another policy");
      }
    }
  }
}
