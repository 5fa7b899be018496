package io.compensa.host.conformance;

import com.google.protobuf.Struct;
import io.compensa.host.client.PluginCallException;
import io.compensa.host.client.PluginClient;
import io.compensa.host.client.PluginCrashedException;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.DriverError;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.ResourceSpec;

/**
 * How a driver error travels (docs/protocol.md, "Driver errors"): a Create of a resource type the
 * plugin does not declare must fail with a gRPC status whose {@code grpc-status-details-bin}
 * trailer carries a {@code compensa.v1.DriverError}, not retryable (repeating it cannot help), and
 * the plugin must still be running. Stateless.
 */
final class DriverErrorCheck {
  static final String UNDECLARED_TYPE = "conformance_undeclared_type";

  private DriverErrorCheck() {}

  static void run(PluginClient client, Manifest manifest, CheckLog log) {
    Struct config =
        manifest.getResourceTypesList().stream()
            .filter(t -> t.getSampleConfigsCount() > 0)
            .map(t -> t.getSampleConfigs(0))
            .findFirst()
            .orElse(Struct.getDefaultInstance());
    CreateRequest create =
        CreateRequest.newBuilder()
            .setActionId("conformance-driver-error")
            .setResource(
                ResourceSpec.newBuilder()
                    .setName("conformance-driver-error")
                    .setType(UNDECLARED_TYPE)
                    .setConfig(config))
            .build();
    try {
      client.create(create);
      log.fail(
          "driver-error",
          null,
          "Create of a type the plugin does not declare (" + UNDECLARED_TYPE + ") succeeded");
    } catch (PluginCrashedException e) {
      log.fail(
          "driver-error",
          null,
          "the plugin crashed on a Create of an undeclared type: " + e.getMessage());
    } catch (PluginCallException e) {
      if (e.driverError().isEmpty()) {
        log.fail(
            "driver-error",
            null,
            "the error ("
                + e.status().getCode()
                + ") carries no compensa.v1.DriverError: attach one to the status details"
                + " (grpc-status-details-bin, type URL type.googleapis.com/compensa.v1.DriverError)");
        return;
      }
      DriverError detail = e.driverError().get();
      if (detail.getRetryable()) {
        log.fail(
            "driver-error",
            null,
            "Create of an undeclared type failed as retryable; only errors that a later attempt"
                + " may not have (a throttle, a timeout) are retryable");
      } else if (detail.getMessage().isBlank()) {
        log.fail("driver-error", null, "the DriverError has no message for the operator");
      } else {
        log.pass(
            "driver-error",
            null,
            e.status().getCode() + " with a DriverError, not retryable: " + detail.getMessage());
      }
    }
  }
}
