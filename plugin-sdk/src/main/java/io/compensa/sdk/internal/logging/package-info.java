/**
 * The plugin's logging: go-plugin's JSON log lines on stderr.
 *
 * <p>A go-plugin host reads its plugin's stderr line by line and parses each line as hclog JSON
 * ({@code @level}, {@code @message}, {@code @module}, {@code @timestamp}, and further key/value
 * fields), so the host keeps levels and fields. Plugin authors log through plain SLF4J: {@link
 * io.compensa.sdk.internal.logging.HclogServiceProvider} is the SLF4J 2 provider, found through
 * {@code META-INF/services}. {@link io.compensa.sdk.internal.logging.JulBridge} sends {@code
 * java.util.logging} records (grpc-java's) to the same output. Every path ends in {@link
 * io.compensa.sdk.internal.logging.HclogOutput}, which formats with {@link
 * io.compensa.sdk.internal.logging.HclogLine} and writes to the real stderr.
 */
package io.compensa.sdk.internal.logging;
