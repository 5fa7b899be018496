/**
 * The conformance suite (docs/protocol.md, "Checking your plugin"): checks that a plugin
 * executable, in any language, keeps the launch protocol and the compensa.v1 contract, through the
 * real host.
 *
 * <p>{@link io.compensa.host.conformance.ConformanceSuite} launches the plugin with {@link
 * io.compensa.host.launch.LaunchOptions}, makes each check against real resources made from the
 * manifest's sample configs (or {@link io.compensa.host.conformance.SampleConfigs} from a file),
 * and returns a {@link io.compensa.host.conformance.ConformanceReport}: one {@link
 * io.compensa.host.conformance.ConformanceCheck} per check and a summary line. The CLI's {@code
 * compensa conformance} prints it; the SDK's test kit asserts it in a JUnit test.
 */
package io.compensa.host.conformance;
