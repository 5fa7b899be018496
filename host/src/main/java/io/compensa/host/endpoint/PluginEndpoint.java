package io.compensa.host.endpoint;

import io.compensa.proto.v1.CompensateRequest;
import io.compensa.proto.v1.CompensateResponse;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.CreateResponse;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.DeleteResponse;
import io.compensa.proto.v1.DiffRequest;
import io.compensa.proto.v1.DiffResponse;
import io.compensa.proto.v1.FinalizeApplyRequest;
import io.compensa.proto.v1.FinalizeApplyResponse;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ReadResponse;
import io.compensa.proto.v1.UpdateRequest;
import io.compensa.proto.v1.UpdateResponse;

/**
 * What the apply engine needs of one plugin: its manifest and its calls.
 *
 * <p>The host's launched plugins implement it over gRPC, each call under a deadline; tests may
 * implement it in memory. Every method may be called from several threads at once.
 */
public interface PluginEndpoint {
  /** The plugin's name, used in messages. */
  String name();

  /** The plugin's process id, when it runs as a process this host started. */
  default java.util.OptionalLong pid() {
    return java.util.OptionalLong.empty();
  }

  /** The manifest the plugin described at launch, already validated. */
  Manifest manifest();

  /** DriverService.Create. */
  CreateResponse create(CreateRequest request) throws DriverCallException;

  /** DriverService.Read. */
  ReadResponse read(ReadRequest request) throws DriverCallException;

  /** DriverService.Update. */
  UpdateResponse update(UpdateRequest request) throws DriverCallException;

  /** DriverService.Delete. */
  DeleteResponse delete(DeleteRequest request) throws DriverCallException;

  /** DriverService.Diff. */
  DiffResponse diff(DiffRequest request) throws DriverCallException;

  /** CompensableService.Compensate. */
  CompensateResponse compensate(CompensateRequest request) throws DriverCallException;

  /** FinalizerService.FinalizeApply. */
  FinalizeApplyResponse finalizeApply(FinalizeApplyRequest request) throws DriverCallException;
}
