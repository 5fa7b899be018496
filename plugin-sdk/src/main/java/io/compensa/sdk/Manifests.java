package io.compensa.sdk;

import io.compensa.proto.v1.CompensationPolicies;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.PluginCapability;
import io.compensa.sdk.internal.StructCodec;
import java.util.Map;

/**
 * Builds the {@code compensa.v1.Manifest} a plugin returns from Describe, from its registrations.
 *
 * <p>Stateless and thread-safe.
 */
final class Manifests {

  /** The contract version this SDK implements. */
  public static final String CONTRACT_VERSION = "v1";

  private Manifests() {}

  /**
   * Returns the manifest of a plugin.
   *
   * @param definition the plugin's registrations
   * @return the manifest
   */
  public static Manifest of(PluginDefinition definition) {
    Manifest.Builder manifest =
        Manifest.newBuilder()
            .setName(definition.name())
            .setVersion(definition.version())
            .setContractVersion(CONTRACT_VERSION);
    for (TypeRegistration registration : definition.types()) {
      manifest.addResourceTypes(resourceType(registration.type()));
    }
    if (definition.finalizer().isPresent()) {
      manifest.addCapabilities(PluginCapability.PLUGIN_CAPABILITY_FINALIZER);
    }
    if (definition.compensator().isPresent()) {
      manifest.addCapabilities(PluginCapability.PLUGIN_CAPABILITY_COMPENSABLE);
    }
    return manifest.build();
  }

  private static io.compensa.proto.v1.ResourceType resourceType(ResourceType type) {
    io.compensa.proto.v1.ResourceType.Builder wire =
        io.compensa.proto.v1.ResourceType.newBuilder()
            .setName(type.name())
            .setDescription(type.description())
            .setCompensation(
                CompensationPolicies.newBuilder()
                    .setCreate(policy(type.createPolicy()))
                    .setUpdate(policy(type.updatePolicy()))
                    .setDelete(policy(type.deletePolicy())))
            .setCreateBeforeDelete(type.createBeforeDelete());
    for (Operation operation : Operation.values()) {
      if (type.operations().contains(operation)) {
        wire.addOperations(operation(operation));
      }
    }
    for (Map<String, Object> sample : type.sampleConfigs()) {
      wire.addSampleConfigs(StructCodec.toStruct(sample));
    }
    return wire.build();
  }

  private static io.compensa.proto.v1.Operation operation(Operation operation) {
    return switch (operation) {
      case CREATE -> io.compensa.proto.v1.Operation.OPERATION_CREATE;
      case READ -> io.compensa.proto.v1.Operation.OPERATION_READ;
      case UPDATE -> io.compensa.proto.v1.Operation.OPERATION_UPDATE;
      case DELETE -> io.compensa.proto.v1.Operation.OPERATION_DELETE;
      case DIFF -> io.compensa.proto.v1.Operation.OPERATION_DIFF;
    };
  }

  private static io.compensa.proto.v1.CompensationPolicy policy(CompensationPolicy policy) {
    return switch (policy) {
      case NONE -> io.compensa.proto.v1.CompensationPolicy.COMPENSATION_POLICY_NONE;
      case HOST_INVERSE -> io.compensa.proto.v1.CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE;
      case PLUGIN -> io.compensa.proto.v1.CompensationPolicy.COMPENSATION_POLICY_PLUGIN;
    };
  }
}
