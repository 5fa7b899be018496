/**
 * The plugins as the planner and the apply engine see them: a {@link
 * io.compensa.host.endpoint.PluginEndpoint} per plugin (its manifest and its calls, each under a
 * deadline) and a {@link io.compensa.host.endpoint.PluginRouter} that finds the plugin serving each
 * resource type.
 */
package io.compensa.host.endpoint;
