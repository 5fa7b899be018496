package io.compensa.host.manifest;

import io.compensa.proto.v1.CompensationPolicies;
import io.compensa.proto.v1.CompensationPolicy;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.Operation;
import io.compensa.proto.v1.PluginCapability;
import io.compensa.proto.v1.ResourceType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks that a manifest is one the host can honour.
 *
 * <p>The rules: a non-empty name; at least one resource type; unique, non-empty type names; every
 * type supports CREATE, READ and DELETE and lists no unspecified operation; a {@code PLUGIN}
 * compensation policy requires the COMPENSABLE capability; a {@code HOST_INVERSE} policy requires
 * the inverse operation (Delete undoes a create, Create undoes a delete, Update undoes an update);
 * an unknown compensation policy (a newer contract's) is refused rather than guessed at.
 *
 * <p>Stateless and thread-safe.
 */
public final class ManifestValidator {
  private static final List<Operation> REQUIRED =
      List.of(Operation.OPERATION_CREATE, Operation.OPERATION_READ, Operation.OPERATION_DELETE);

  /** Creates a validator. */
  public ManifestValidator() {}

  /**
   * Throws when {@code manifest} breaks a rule.
   *
   * @param pluginName the name the host knows the plugin by, for the message
   * @throws InvalidManifestException listing every problem
   */
  public void validate(String pluginName, Manifest manifest) {
    List<String> problems = problems(manifest);
    if (!problems.isEmpty()) {
      throw new InvalidManifestException(pluginName, problems);
    }
  }

  /** Every rule {@code manifest} breaks, one sentence each; empty when it is valid. */
  public List<String> problems(Manifest manifest) {
    List<String> problems = new ArrayList<>();
    if (manifest.getName().isBlank()) {
      problems.add("the manifest has no name: set the plugin's name");
    }
    if (manifest.getResourceTypesCount() == 0) {
      problems.add("the manifest declares no resource types: a plugin must drive at least one");
    }
    boolean compensable =
        manifest.getCapabilitiesList().contains(PluginCapability.PLUGIN_CAPABILITY_COMPENSABLE);
    Set<String> seen = new HashSet<>();
    for (ResourceType type : manifest.getResourceTypesList()) {
      if (type.getName().isBlank()) {
        problems.add("a resource type has no name: give every type a name");
        continue;
      }
      if (!seen.add(type.getName())) {
        problems.add(
            "resource type "
                + type.getName()
                + " is declared more than once: type names must be unique");
        continue;
      }
      checkOperations(type, problems);
      checkCompensation(type, compensable, problems);
    }
    return problems;
  }

  private static void checkOperations(ResourceType type, List<String> problems) {
    for (Operation required : REQUIRED) {
      if (!type.getOperationsList().contains(required)) {
        problems.add(
            "resource type "
                + type.getName()
                + " does not support "
                + name(required)
                + ": every type must support CREATE, READ and DELETE");
      }
    }
    if (type.getOperationsList().contains(Operation.OPERATION_UNSPECIFIED)
        || type.getOperationsValueList().stream()
            .anyMatch(value -> Operation.forNumber(value) == null)) {
      problems.add(
          "resource type "
              + type.getName()
              + " lists an unspecified or unknown operation: list only CREATE, READ, UPDATE,"
              + " DELETE and DIFF");
    }
  }

  private static void checkCompensation(
      ResourceType type, boolean compensable, List<String> problems) {
    CompensationPolicies policies = type.getCompensation();
    check(type, "create", policies.getCreate(), Operation.OPERATION_DELETE, compensable, problems);
    check(type, "update", policies.getUpdate(), Operation.OPERATION_UPDATE, compensable, problems);
    check(type, "delete", policies.getDelete(), Operation.OPERATION_CREATE, compensable, problems);
  }

  private static void check(
      ResourceType type,
      String actionKind,
      CompensationPolicy policy,
      Operation inverse,
      boolean compensable,
      List<String> problems) {
    if (policy == CompensationPolicy.UNRECOGNIZED) {
      problems.add(
          "resource type "
              + type.getName()
              + " declares an unknown compensation policy for "
              + actionKind
              + ": choose NONE, HOST_INVERSE or PLUGIN");
      return;
    }
    if (policy == CompensationPolicy.COMPENSATION_POLICY_PLUGIN && !compensable) {
      problems.add(
          "resource type "
              + type.getName()
              + " declares PLUGIN compensation for "
              + actionKind
              + " but the plugin does not serve CompensableService: serve it and declare the"
              + " COMPENSABLE capability, or choose HOST_INVERSE or NONE");
    }
    if (policy == CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE
        && !type.getOperationsList().contains(inverse)) {
      problems.add(
          "resource type "
              + type.getName()
              + " declares HOST_INVERSE compensation for "
              + actionKind
              + ", whose inverse is "
              + name(inverse)
              + ", but the type does not support "
              + name(inverse)
              + ": support it, or choose PLUGIN or NONE");
    }
  }

  private static String name(Operation operation) {
    return operation.name().substring("OPERATION_".length()).toUpperCase(Locale.ROOT);
  }
}
