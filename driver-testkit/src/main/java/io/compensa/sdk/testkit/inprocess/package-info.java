/**
 * Unit tests of a plugin's drivers without a process: {@link
 * io.compensa.sdk.testkit.inprocess.InProcessPlugin} serves the plugin's real gRPC services over
 * grpc-java's in-process transport, so every call goes through the SDK's request and answer
 * conversion, and returns what the host would receive.
 */
package io.compensa.sdk.testkit.inprocess;
