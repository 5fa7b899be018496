package io.compensa.host.launch;

import io.compensa.host.client.PluginClient;
import io.compensa.proto.v1.Manifest;
import io.compensa.protocol.HandshakeLine;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;

/**
 * A plugin that was already running (under a debugger, say) and that the host attached to with its
 * handshake line; go-plugin calls this reattaching.
 *
 * <p>The host did not start the process, so it never stops or kills it: {@link #close()} only
 * closes the connection. A pid could have been reused by another process, which is why go-plugin
 * stopped killing reattached plugins too. Thread-safe; {@link #close()} is idempotent.
 */
public final class AttachedPlugin implements RunningPlugin {
  private final String name;
  private final HandshakeLine handshake;
  private final Manifest manifest;
  private final ManagedChannel channel;
  private final PluginClient client;

  AttachedPlugin(
      String name,
      HandshakeLine handshake,
      Manifest manifest,
      ManagedChannel channel,
      PluginClient client) {
    this.name = name;
    this.handshake = handshake;
    this.manifest = manifest;
    this.channel = channel;
    this.client = client;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public HandshakeLine handshake() {
    return handshake;
  }

  @Override
  public Manifest manifest() {
    return manifest;
  }

  @Override
  public PluginClient client() {
    return client;
  }

  /** Closes the connection; the plugin process keeps running. */
  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(1, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "AttachedPlugin{" + name + ", " + handshake.target() + "}";
  }
}
