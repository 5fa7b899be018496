package io.compensa.host.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.proto.v1.CompensationPolicies;
import io.compensa.proto.v1.CompensationPolicy;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.Operation;
import io.compensa.proto.v1.PluginCapability;
import io.compensa.proto.v1.ResourceType;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestValidatorTest {
  private static final List<Operation> CRUD =
      List.of(
          Operation.OPERATION_CREATE,
          Operation.OPERATION_READ,
          Operation.OPERATION_UPDATE,
          Operation.OPERATION_DELETE);

  private final ManifestValidator validator = new ManifestValidator();

  @Test
  void aManifestWithHostInverseForEveryKindAndFullCrudIsValid() {
    Manifest manifest = manifest(type("file", CRUD, inverse(), inverse(), inverse()));

    assertThat(validator.problems(manifest)).isEmpty();
  }

  @Test
  void pluginCompensationWithoutTheCompensableCapabilityIsRefused() {
    Manifest manifest = manifest(type("file", CRUD, plugin(), none(), none()));

    assertThatThrownBy(() -> validator.validate("fs", manifest))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("the manifest of plugin fs is invalid")
        .hasMessageContaining(
            "resource type file declares PLUGIN compensation for create but the plugin does not"
                + " serve CompensableService");
  }

  @Test
  void pluginCompensationWithTheCompensableCapabilityIsValid() {
    Manifest manifest =
        manifest(type("file", CRUD, plugin(), plugin(), plugin())).toBuilder()
            .addCapabilities(PluginCapability.PLUGIN_CAPABILITY_COMPENSABLE)
            .build();

    assertThat(validator.problems(manifest)).isEmpty();
  }

  @Test
  void hostInverseOnUpdateRequiresUpdate() {
    List<Operation> noUpdate =
        List.of(Operation.OPERATION_CREATE, Operation.OPERATION_READ, Operation.OPERATION_DELETE);
    Manifest manifest = manifest(type("key", noUpdate, inverse(), inverse(), none()));

    assertThat(validator.problems(manifest))
        .containsExactly(
            "resource type key declares HOST_INVERSE compensation for update, whose inverse is"
                + " UPDATE, but the type does not support UPDATE: support it, or choose PLUGIN or"
                + " NONE");
  }

  @Test
  void everyTypeMustSupportCreateReadAndDelete() {
    Manifest manifest =
        manifest(type("file", List.of(Operation.OPERATION_CREATE), none(), none(), none()));

    assertThat(validator.problems(manifest))
        .contains(
            "resource type file does not support READ: every type must support CREATE, READ and"
                + " DELETE",
            "resource type file does not support DELETE: every type must support CREATE, READ"
                + " and DELETE");
  }

  @Test
  void hostInverseOnDeleteRequiresCreateWhichEveryTypeHasAnyway() {
    List<Operation> noCreate = List.of(Operation.OPERATION_READ, Operation.OPERATION_DELETE);
    Manifest manifest = manifest(type("file", noCreate, none(), none(), inverse()));

    assertThat(validator.problems(manifest))
        .contains(
            "resource type file declares HOST_INVERSE compensation for delete, whose inverse is"
                + " CREATE, but the type does not support CREATE: support it, or choose PLUGIN or"
                + " NONE");
  }

  @Test
  void anUnnamedManifestWithoutTypesHasTwoProblems() {
    assertThat(validator.problems(Manifest.getDefaultInstance()))
        .containsExactly(
            "the manifest has no name: set the plugin's name",
            "the manifest declares no resource types: a plugin must drive at least one");
  }

  @Test
  void duplicateTypeNamesAreRefused() {
    ResourceType file = type("file", CRUD, none(), none(), none());

    assertThat(validator.problems(manifest(file, file)))
        .containsExactly(
            "resource type file is declared more than once: type names must be unique");
  }

  @Test
  void anUnknownCompensationPolicyIsRefusedRatherThanGuessedAt() {
    ResourceType unknown =
        type("file", CRUD, inverse(), inverse(), none()).toBuilder()
            .setCompensation(
                CompensationPolicies.newBuilder()
                    .setCreate(inverse())
                    .setUpdate(inverse())
                    .setDeleteValue(18))
            .build();

    assertThatThrownBy(() -> validator.validate("fs", manifest(unknown)))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("the manifest of plugin fs is invalid")
        .hasMessageContaining(
            "resource type file declares an unknown compensation policy for delete: choose NONE,"
                + " HOST_INVERSE or PLUGIN");
  }

  private static Manifest manifest(ResourceType... types) {
    return Manifest.newBuilder()
        .setName("fs")
        .setVersion("1.0.0")
        .setContractVersion("v1")
        .addAllResourceTypes(List.of(types))
        .build();
  }

  private static ResourceType type(
      String name,
      List<Operation> operations,
      CompensationPolicy create,
      CompensationPolicy update,
      CompensationPolicy delete) {
    return ResourceType.newBuilder()
        .setName(name)
        .addAllOperations(operations)
        .setCompensation(
            CompensationPolicies.newBuilder().setCreate(create).setUpdate(update).setDelete(delete))
        .build();
  }

  private static CompensationPolicy inverse() {
    return CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE;
  }

  private static CompensationPolicy plugin() {
    return CompensationPolicy.COMPENSATION_POLICY_PLUGIN;
  }

  private static CompensationPolicy none() {
    return CompensationPolicy.COMPENSATION_POLICY_NONE;
  }
}
