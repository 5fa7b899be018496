/**
 * The {@code compensa} command line.
 *
 * <p>{@link io.compensa.host.cli.CompensaCli} is the entry point and holds the subcommands; each
 * subcommand is a class of its own ({@link io.compensa.host.cli.DescribeCommand}) that builds
 * {@link io.compensa.host.launch.LaunchOptions} from its arguments, uses the host library, and
 * prints results to stdout. Progress and plugin logs go to stderr through SLF4J (slf4j-simple in
 * the fat jar), so stdout stays clean for {@code --json} and pipes.
 *
 * <p>Exit codes: 0 success, 1 failure (the message says what failed and what to do), 2 usage error.
 */
package io.compensa.host.cli;
