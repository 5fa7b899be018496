/**
 * The transport under the SDK: the pieces of serving a plugin that know nothing of the author's
 * types; not part of the SDK's API (the SDK's module exports only {@code io.compensa.sdk}) and may
 * change without notice. Nothing here depends on {@code io.compensa.sdk}, which uses it.
 *
 * <p>{@link io.compensa.sdk.internal.ListenAddress} binds the Unix socket or TCP port the host
 * asked for, {@link io.compensa.sdk.internal.AutoMtls} makes the server's side of AutoMTLS, and
 * {@link io.compensa.sdk.internal.OrphanGuard} stops the plugin when its host goes away.
 * go-plugin's own services ({@link io.compensa.sdk.internal.ControllerServiceHandler}, {@link
 * io.compensa.sdk.internal.StdioServiceHandler}) and the Describe service ({@link
 * io.compensa.sdk.internal.PluginServiceHandler}) are here; the worker pool and its hand-off
 * ({@link io.compensa.sdk.internal.WorkerHandoff}, {@link
 * io.compensa.sdk.internal.BusyPollStrategy}, {@link io.compensa.sdk.internal.LingeringWorkers}),
 * and JSON values as protobuf {@code Struct}s ({@link io.compensa.sdk.internal.StructCodec}, {@link
 * io.compensa.sdk.internal.JsonValues}).
 */
package io.compensa.sdk.internal;
