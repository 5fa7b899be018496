package io.compensa.host.client;

/**
 * One remote procedure the host can call on a plugin; the key for per-call deadlines.
 *
 * <p>Immutable and thread-safe.
 */
public enum PluginCall {
  /** {@code PluginService.Describe}. */
  DESCRIBE("Describe"),
  /** {@code DriverService.Create}. */
  CREATE("Create"),
  /** {@code DriverService.Read}. */
  READ("Read"),
  /** {@code DriverService.Update}. */
  UPDATE("Update"),
  /** {@code DriverService.Delete}. */
  DELETE("Delete"),
  /** {@code DriverService.Diff}. */
  DIFF("Diff"),
  /** {@code FinalizerService.FinalizeApply}. */
  FINALIZE_APPLY("FinalizeApply"),
  /** {@code CompensableService.Compensate}. */
  COMPENSATE("Compensate");

  private final String methodName;

  PluginCall(String methodName) {
    this.methodName = methodName;
  }

  /** The gRPC method name, as an operator reads it in logs and errors. */
  public String methodName() {
    return methodName;
  }
}
