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
 * ({@code log.atInfo().addKeyValue("path", p).log("created")}). {@code COMPENSA_LOG_LEVEL} sets the
 * level (trace, debug, info, warn, error; default info).
 *
 * <p>This package is the SDK's whole API: its public types are what authors use. The classes that
 * bind them to the wire (the launch, the gRPC services, the protobuf conversions) are
 * package-private here; the transport that knows nothing of these types is in {@code
 * io.compensa.sdk.internal}, and what a plugin's build runs is in {@code
 * io.compensa.sdk.packaging}; the SDK's module exports neither. The generated protobuf classes are
 * not on a plugin's compile class path (the plugin parent puts them on its runtime class path
 * only), so this package's {@code ResourceType} and {@code Compensator} are the only ones an author
 * sees.
 */
package io.compensa.sdk;
