/**
 * The Compensa plugin SDK: what a plugin author writes against.
 *
 * <p>A plugin is a Java {@code main} that describes its resource types ({@link
 * io.compensa.sdk.ResourceType}), registers a {@link io.compensa.sdk.ResourceDriver} for each, and
 * calls {@link io.compensa.sdk.CompensaPlugin#serve()}. Registration is explicit: nothing is found
 * by scanning the classpath, and a plugin with nothing registered refuses to build.
 *
 * <p>Requests flow from the host over gRPC into the SDK, which turns protobuf messages into the
 * plain Java values of this package ({@link io.compensa.sdk.ResourceSpec}, {@link
 * io.compensa.sdk.ResourceState}, configurations as {@code Map<String, Object>}) and calls the
 * driver on a worker thread. The driver answers with a {@link io.compensa.sdk.ResourceOutput} or
 * throws a {@link io.compensa.sdk.DriverException}, which the host receives as a gRPC status with a
 * structured {@code DriverError}. A {@link io.compensa.sdk.Finalizer} and a {@link
 * io.compensa.sdk.Compensator} are optional.
 *
 * <p>Logging: use SLF4J ({@code LoggerFactory.getLogger}). The SDK ships the SLF4J provider that
 * writes go-plugin's JSON log lines on stderr, so the host keeps levels and key/value fields
 * ({@code log.atInfo().addKeyValue("path", p).log("created")}). {@code COMPENSA_LOG_LEVEL} sets
 * the level (trace, debug, info, warn, error; default info).
 *
 * <p>Everything about the wire (the go-plugin handshake, health, controller, the protobuf
 * conversions) lives in {@code io.compensa.sdk.internal} and may change without notice.
 */
package io.compensa.sdk;
