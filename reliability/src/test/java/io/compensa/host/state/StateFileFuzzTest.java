package io.compensa.host.state;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.compensa.proto.v1.StateSnapshot;
import io.compensa.reliability.FuzzFiles;
import io.compensa.reliability.Refusals;
import java.nio.file.Path;

/**
 * The state file, read through {@link FileStateStore#read}: accepted, or refused with {@link
 * StateStoreException} naming the file; an accepted state written back by the store (as every apply
 * does) reads back equal.
 */
class StateFileFuzzTest {
  private static final Path FILE = FuzzFiles.dir().resolve("state.json");
  private static final FileStateStore STORE = new FileStateStore(FILE);
  private static final FileStateStore COPY =
      new FileStateStore(FuzzFiles.dir().resolve("state-copy.json"));

  @FuzzTest
  void stateFile(byte[] input) throws Exception {
    FuzzFiles.write(FILE.getFileName().toString(), input);
    StateSnapshot state;
    try {
      state = STORE.read();
    } catch (StateStoreException e) {
      Refusals.namePlace(e, FILE.toString());
      return;
    }
    COPY.write(state);
    StateSnapshot again = COPY.read();
    if (!again.equals(state)) {
      throw new AssertionError("the state written back reads back different: " + state);
    }
  }
}
