/**
 * How the SDK serves a plugin; not part of the SDK's API and may change without notice.
 *
 * <p>{@link io.compensa.sdk.internal.PluginProcess} runs go-plugin's launch protocol: it checks
 * the magic cookie, reads {@code COMPENSA_PLUGIN_CONFIG} ({@link
 * io.compensa.sdk.internal.PluginConfigReader}), makes the drivers, negotiates the app protocol
 * version ({@link io.compensa.protocol.ProtocolVersions}), binds a Unix socket or a TCP port
 * ({@link io.compensa.sdk.internal.ListenAddress}), prints the {@link
 * io.compensa.protocol.HandshakeLine} and serves until the host calls Shutdown or the {@link
 * io.compensa.sdk.internal.OrphanGuard} sees the host go away.
 *
 * <p>{@link io.compensa.sdk.internal.PluginServer} is the gRPC server: the service handlers turn
 * protobuf requests into the SDK's Java values ({@link io.compensa.sdk.internal.ProtoConversion},
 * {@link io.compensa.sdk.internal.StructCodec}), call the author's code on a worker pool, and turn
 * failures into statuses carrying a {@code DriverError} ({@link
 * io.compensa.sdk.internal.DriverErrorStatus}). The server does not know about the process, so a
 * test kit can run it in-process.
 */
package io.compensa.sdk.internal;
