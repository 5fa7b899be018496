package io.compensa.host.manifest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.compensa.proto.v1.CompensationPolicies;
import io.compensa.proto.v1.CompensationPolicy;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.Operation;
import io.compensa.proto.v1.ResourceType;
import io.compensa.reliability.Refusals;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A plugin's manifest as it arrives over gRPC (the wire bytes of {@code GetManifest}'s answer):
 * bytes gRPC itself cannot decode never reach the host; the rest are accepted by {@link
 * ManifestValidator} or refused with {@link InvalidManifestException} naming the plugin. An
 * accepted manifest has a name and unique, named types that support CREATE, READ and DELETE, with
 * known compensation policies.
 */
class ManifestFuzzTest {
  private static final String PLUGIN = "fuzzed-plugin";
  private static final ManifestValidator VALIDATOR = new ManifestValidator();

  @FuzzTest
  void manifest(byte[] input) {
    Manifest manifest;
    try {
      manifest = Manifest.parseFrom(input);
    } catch (InvalidProtocolBufferException e) {
      return;
    }
    try {
      VALIDATOR.validate(PLUGIN, manifest);
    } catch (InvalidManifestException e) {
      Refusals.namePlace(e, PLUGIN);
      if (e.problems().isEmpty()) {
        throw new AssertionError("a refusal without a problem: " + e.getMessage());
      }
      return;
    }
    if (manifest.getName().isBlank() || manifest.getResourceTypesCount() == 0) {
      throw new AssertionError("accepted without a name or a type: " + manifest);
    }
    Set<String> names = new HashSet<>();
    for (ResourceType type : manifest.getResourceTypesList()) {
      if (type.getName().isBlank() || !names.add(type.getName())) {
        throw new AssertionError("accepted a blank or repeated type name: " + manifest);
      }
      if (!type.getOperationsList()
          .containsAll(
              List.of(
                  Operation.OPERATION_CREATE,
                  Operation.OPERATION_READ,
                  Operation.OPERATION_DELETE))) {
        throw new AssertionError("accepted a type without CREATE, READ and DELETE: " + type);
      }
      CompensationPolicies policies = type.getCompensation();
      for (CompensationPolicy policy :
          List.of(policies.getCreate(), policies.getUpdate(), policies.getDelete())) {
        if (policy == CompensationPolicy.UNRECOGNIZED) {
          throw new AssertionError("accepted an unknown compensation policy: " + type);
        }
      }
    }
  }
}
