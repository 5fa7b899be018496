package io.compensa.samples.localfs;

import io.compensa.sdk.DriverException;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * A POSIX permission mode written as an octal string such as {@code "0644"}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param bits the permission bits, between 0 and 0777
 */
record Mode(int bits) {

  private static final PosixFilePermission[] ORDER = {
    PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
    PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
    PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
    PosixFilePermission.OWNER_READ
  };

  /** Parses {@code "0644"} or {@code "644"}; {@code what} names the input in the error. */
  static Mode parse(String text, String what) throws DriverException {
    if (text == null || !text.matches("0?[0-7]{3}")) {
      throw DriverException.invalidConfig(
          what + " mode \"" + text + "\" is not an octal permission mode: write it like \"0644\"");
    }
    return new Mode(Integer.parseInt(text, 8));
  }

  /** Returns the mode of a permission set. */
  static Mode of(Set<PosixFilePermission> permissions) {
    int bits = 0;
    for (int i = 0; i < ORDER.length; i++) {
      if (permissions.contains(ORDER[i])) {
        bits |= 1 << i;
      }
    }
    return new Mode(bits);
  }

  /** Returns the permission set. */
  Set<PosixFilePermission> permissions() {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < ORDER.length; i++) {
      if ((bits & (1 << i)) != 0) {
        set.add(ORDER[i]);
      }
    }
    return set;
  }

  @Override
  public String toString() {
    return String.format("%04o", bits);
  }
}
