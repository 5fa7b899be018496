/**
 * The localfs sample plugin: {@code localfs_file} and {@code localfs_directory} resources under a
 * root directory.
 *
 * <p>{@link io.compensa.samples.localfs.LocalFsPlugin} registers both types with the Compensa SDK.
 * Each driver turns a resource config into a path under the {@code Root} (which refuses paths that
 * escape it) and acts on the file system: files are written to a temporary file and then linked
 * (create) or renamed (update) into place, so no reader sees half a file. A {@code CreationLedger}
 * under {@code <root>/.localfs/} remembers which action created which path, which makes a repeated
 * Create with the same action id return the existing resource.
 */
package io.compensa.samples.localfs;
