package com.example.notes;

import io.compensa.sdk.*;

final class NoteDriver implements ResourceDriver {
  NoteDriver(PluginConfig config) {}
  // typed config reads, as the README's five-minute plugin has them: no casts
  public ResourceOutput create(String actionId, ResourceSpec spec) throws DriverException {
    return ResourceOutput.of(spec.name()).withOutput("chars", spec.string("text").length());
  }
  public ReadResult read(ResourceSpec spec, String providerId) { return ReadResult.absent(); }
  public ResourceOutput update(String actionId, ResourceSpec desired, ResourceState prior) throws DriverException {
    return ResourceOutput.of(desired.name()).withOutput("chars", desired.string("text").length());
  }
  public void delete(String actionId, ResourceState state) {}
}
