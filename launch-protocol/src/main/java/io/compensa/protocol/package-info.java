/**
 * go-plugin's launch protocol as Compensa speaks it, implemented once for the host and the SDK.
 *
 * <p>A host starts a plugin with the {@link io.compensa.protocol.LaunchEnvironment} variables (the
 * magic cookie, the app protocol versions it accepts, the port range, a private socket directory,
 * its certificate under AutoMTLS); the plugin picks its version with {@link
 * io.compensa.protocol.ProtocolVersions}, serves, and prints one {@link
 * io.compensa.protocol.HandshakeLine}, which the host parses and checks. Under AutoMTLS both sides
 * make a throwaway {@link io.compensa.protocol.SelfSignedCertificate} and pin the other's.
 * docs/protocol.md describes the protocol for authors in other languages.
 */
package io.compensa.protocol;
