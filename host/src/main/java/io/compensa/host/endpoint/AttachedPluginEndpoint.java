package io.compensa.host.endpoint;

import io.compensa.host.client.PluginCallException;
import io.compensa.host.launch.AttachedPlugin;
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
import java.util.function.Supplier;

/**
 * A plugin the host attached to instead of launching (a plugin started in debug mode, under a
 * debugger): its calls, with no relaunch, since the host did not start it and never stops it;
 * closing only closes the connection. It has no process id for the journal: {@code recover} must
 * not wait for a process the operator keeps running. Thread-safe.
 */
public final class AttachedPluginEndpoint implements PluginEndpoint, AutoCloseable {
  private final AttachedPlugin plugin;

  /** Wraps {@code plugin}. */
  public AttachedPluginEndpoint(AttachedPlugin plugin) {
    this.plugin = plugin;
  }

  @Override
  public String name() {
    return plugin.name();
  }

  @Override
  public Manifest manifest() {
    return plugin.manifest();
  }

  /** Closes the connection; the plugin keeps running. */
  @Override
  public void close() {
    plugin.close();
  }

  @Override
  public CreateResponse create(CreateRequest request) throws DriverCallException {
    return call(() -> plugin.client().create(request));
  }

  @Override
  public ReadResponse read(ReadRequest request) throws DriverCallException {
    return call(() -> plugin.client().read(request));
  }

  @Override
  public UpdateResponse update(UpdateRequest request) throws DriverCallException {
    return call(() -> plugin.client().update(request));
  }

  @Override
  public DeleteResponse delete(DeleteRequest request) throws DriverCallException {
    return call(() -> plugin.client().delete(request));
  }

  @Override
  public DiffResponse diff(DiffRequest request) throws DriverCallException {
    return call(() -> plugin.client().diff(request));
  }

  @Override
  public CompensateResponse compensate(CompensateRequest request) throws DriverCallException {
    return call(() -> plugin.client().compensate(request));
  }

  @Override
  public FinalizeApplyResponse finalizeApply(FinalizeApplyRequest request)
      throws DriverCallException {
    return call(() -> plugin.client().finalizeApply(request));
  }

  private static <T> T call(Supplier<T> call) throws DriverCallException {
    try {
      return call.get();
    } catch (PluginCallException e) {
      throw CallFailures.translate(e);
    }
  }
}
