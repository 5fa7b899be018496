package io.compensa.host.endpoint;

import io.compensa.host.client.PluginCallException;
import io.compensa.host.client.PluginCrashedException;
import io.compensa.host.launch.LaunchedPlugin;
import io.compensa.proto.v1.CompensateRequest;
import io.compensa.proto.v1.CompensateResponse;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.CreateResponse;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.DeleteResponse;
import io.compensa.proto.v1.DiffRequest;
import io.compensa.proto.v1.DiffResponse;
import io.compensa.proto.v1.DriverError;
import io.compensa.proto.v1.FinalizeApplyRequest;
import io.compensa.proto.v1.FinalizeApplyResponse;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ReadResponse;
import io.compensa.proto.v1.UpdateRequest;
import io.compensa.proto.v1.UpdateResponse;
import io.grpc.Status;
import java.util.function.Supplier;

/**
 * A launched plugin process as the planner and the engine see it: its typed client's calls, each
 * under its deadline, with failures turned into {@link DriverCallException}s. A call that ran out of
 * time is retryable (every call is idempotent by its action id); a crashed plugin's is not.
 * Thread-safe.
 */
public final class LaunchedPluginEndpoint implements PluginEndpoint {
  private final LaunchedPlugin plugin;

  /** Wraps {@code plugin}, which the caller keeps owning and closes. */
  public LaunchedPluginEndpoint(LaunchedPlugin plugin) {
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
  public FinalizeApplyResponse finalizeApply(FinalizeApplyRequest request) throws DriverCallException {
    return call(() -> plugin.client().finalizeApply(request));
  }

  private static <T> T call(Supplier<T> call) throws DriverCallException {
    try {
      return call.get();
    } catch (PluginCrashedException e) {
      throw new DriverCallException(e.getMessage(), false, null, false, e);
    } catch (PluginCallException e) {
      DriverError detail = e.driverError().orElse(null);
      boolean timedOut = e.status().getCode() == Status.Code.DEADLINE_EXCEEDED;
      String message = detail != null && !detail.getMessage().isEmpty() ? detail.getMessage() : e.getMessage();
      throw new DriverCallException(message, e.retryable() || timedOut,
          detail != null && detail.hasPartialOutput() ? detail.getPartialOutput() : null,
          detail != null && detail.getRolledBack(), e);
    }
  }
}
