package io.compensa.host.launch;

import io.compensa.host.client.PluginClient;
import io.compensa.proto.v1.Manifest;
import io.compensa.protocol.HandshakeLine;

/**
 * A plugin the host is connected to, whether it launched it ({@link LaunchedPlugin}) or attached to
 * one already running ({@link AttachedPlugin}).
 *
 * <p>Implementations are thread-safe, and {@link #close()} is idempotent.
 */
public interface RunningPlugin extends AutoCloseable {
  /** The name the host knows the plugin by. */
  String name();

  /** The handshake that says where the plugin serves. */
  HandshakeLine handshake();

  /** The plugin's validated manifest. */
  Manifest manifest();

  /** The client for calls to the plugin. */
  PluginClient client();

  /** Lets go of the plugin: a launched one is stopped, an attached one only disconnected. */
  @Override
  void close();
}
