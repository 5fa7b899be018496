package com.example.notes;

import io.compensa.sdk.*;

final class NoteDriver implements ResourceDriver {
  NoteDriver(PluginConfig config) {}
  public ResourceOutput create(String actionId, ResourceSpec spec) { return ResourceOutput.of(spec.name()); }
  public ReadResult read(ResourceSpec spec, String providerId) { return ReadResult.absent(); }
  public ResourceOutput update(String actionId, ResourceSpec desired, ResourceState prior) { return ResourceOutput.of(desired.name()); }
  public void delete(String actionId, ResourceState state) {}
}
