/**
 * Typed calls from the host to one running plugin.
 *
 * <p>{@link io.compensa.host.client.PluginClient} wraps the gRPC stubs of the four Compensa
 * services ({@code PluginService}, {@code DriverService}, {@code FinalizerService}, {@code
 * CompensableService}) over one channel. Every call carries a deadline taken from {@link
 * io.compensa.host.client.CallDeadlines}: gRPC has none by default, and a plugin that hangs must
 * not hang the host.
 *
 * <p>Failures come back as one of two exceptions. A {@link
 * io.compensa.host.client.PluginCallException} is a call the plugin answered with an error (or did
 * not answer in time); it carries the gRPC status and, when the plugin attached one, the structured
 * {@link io.compensa.proto.v1.DriverError} (retryable, partial output, rolled back). A {@link
 * io.compensa.host.client.PluginCrashedException} means the plugin process died under the call: it
 * carries the exit code and the last lines the plugin wrote to stderr. The client learns about
 * crashes through a {@link io.compensa.host.client.CrashWatch}, which the launcher supplies.
 */
package io.compensa.host.client;
