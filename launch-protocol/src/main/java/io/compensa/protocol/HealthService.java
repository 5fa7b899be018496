package io.compensa.protocol;

/**
 * The service name under which a plugin reports its health on {@code grpc.health.v1.Health}, as
 * go-plugin's plugins do: the host checks it for {@code SERVING} right after the handshake, and the
 * plugin sets it when it starts serving.
 */
public final class HealthService {
  private HealthService() {}

  /** The name: {@value}. */
  public static final String NAME = "plugin";
}
