/**
 * What a plugin's build runs, not what serves a host: {@link
 * io.compensa.sdk.packaging.LauncherScript} writes the launcher script {@code
 * compensa-plugin-parent} packages beside the plugin's jar, and {@link
 * io.compensa.sdk.packaging.TrainingRun} is the run, at build time, in which the plugin calls
 * itself as a host would so that the JVM archives the classes a real start needs. Not part of the
 * SDK's API.
 */
package io.compensa.sdk.packaging;
