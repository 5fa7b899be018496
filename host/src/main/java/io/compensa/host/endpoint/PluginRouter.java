package io.compensa.host.endpoint;

import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceType;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Finds the plugin that serves each resource type. Immutable and thread-safe. */
public final class PluginRouter {
  private final Map<String, PluginEndpoint> byType = new HashMap<>();
  private final Map<String, ResourceType> types = new HashMap<>();
  private final List<PluginEndpoint> plugins;

  /**
   * Routes over {@code plugins}.
   *
   * @throws IllegalArgumentException when two plugins serve the same resource type
   */
  public PluginRouter(Collection<? extends PluginEndpoint> plugins) {
    this.plugins = List.copyOf(new LinkedHashSet<>(plugins));
    for (PluginEndpoint plugin : this.plugins) {
      for (ResourceType type : plugin.manifest().getResourceTypesList()) {
        PluginEndpoint other = byType.putIfAbsent(type.getName(), plugin);
        if (other != null) {
          throw new IllegalArgumentException(
              "resource type \""
                  + type.getName()
                  + "\" is served by both plugin \""
                  + other.name()
                  + "\" and plugin \""
                  + plugin.name()
                  + "\": configure only one of them");
        }
        types.put(type.getName(), type);
      }
    }
  }

  /** The plugin serving {@code action}'s resource type. */
  public PluginEndpoint endpoint(PlanAction action) {
    return endpoint(action.getResource().getType());
  }

  /** The plugin serving {@code type}. */
  public PluginEndpoint endpoint(String type) {
    PluginEndpoint endpoint = byType.get(type);
    if (endpoint == null) {
      throw new IllegalStateException("no plugin serves resource type " + type);
    }
    return endpoint;
  }

  /** The manifest entry of {@code type}. */
  public ResourceType type(String type) {
    return types.get(type);
  }

  /** Every served type, by name. */
  public Map<String, ResourceType> types() {
    return Map.copyOf(types);
  }

  /** The plugins, each once. */
  public List<PluginEndpoint> plugins() {
    return plugins;
  }
}
