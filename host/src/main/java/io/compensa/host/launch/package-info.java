/**
 * Starting a plugin executable, shaking hands with it, and stopping it with everything it started.
 *
 * <p>{@link io.compensa.host.launch.PluginLauncher} takes {@link
 * io.compensa.host.launch.LaunchOptions} and goes through go-plugin's launch protocol, so go-plugin
 * plugins run here and Compensa plugins run under go-plugin hosts:
 *
 * <ol>
 *   <li>check the executable (and its {@link io.compensa.host.launch.BinaryPin}, before it can
 *       run);
 *   <li>start it with the host environment filtered by the {@link
 *       io.compensa.host.launch.EnvironmentPolicy}, plus the magic cookie, {@code
 *       PLUGIN_PROTOCOL_VERSIONS}, the port range, a private {@code PLUGIN_UNIX_SOCKET_DIR}, {@code
 *       COMPENSA_HOST_PID} and {@code COMPENSA_PLUGIN_CONFIG};
 *   <li>read stdout on a thread of its own until one {@link io.compensa.protocol.HandshakeLine}
 *       arrives, under a start timeout, while stderr is forwarded into SLF4J (logger {@code
 *       plugin.<name>}) and its last lines are kept for error messages;
 *   <li>connect over the Unix socket or TCP address the plugin announced, wait for its health
 *       service to say SERVING, ask for its manifest and validate it.
 * </ol>
 *
 * <p>The result is a {@link io.compensa.host.launch.LaunchedPlugin}: the manifest, a typed client,
 * and {@code close()}, which asks the plugin to shut down, waits a grace period, then kills the
 * process and every process it started. A plugin that dies on its own is noticed at once: its
 * channel is shut down and calls fail with a crash report. Every failure on the way is a {@link
 * io.compensa.host.launch.PluginLaunchException} with the exit code, the last stderr lines and what
 * was expected. A JVM shutdown hook kills whatever the host launched and still holds.
 *
 * <p>{@link io.compensa.host.launch.PluginLauncher#attach} connects to a plugin that is already
 * running (under a debugger, say), given its handshake line, and returns an {@link
 * io.compensa.host.launch.AttachedPlugin}: the same checks, but the host never stops or kills a
 * process it did not start. Both kinds are a {@link io.compensa.host.launch.RunningPlugin}.
 */
package io.compensa.host.launch;
