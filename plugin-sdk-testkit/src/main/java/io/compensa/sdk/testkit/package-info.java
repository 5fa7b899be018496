/**
 * The test kit for plugin authors: {@link io.compensa.sdk.testkit.PluginConformance} runs the
 * conformance suite of {@code io.compensa.host.conformance} on a plugin, as a real child process of
 * the real host, and fails a JUnit test with the report when the plugin breaks the contract.
 */
package io.compensa.sdk.testkit;
