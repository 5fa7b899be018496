/**
 * The benchmarks behind {@code bench/run}: they measure and print, and no test asserts a time.
 *
 * <p>{@link io.compensa.bench.LaunchBench} times one plugin's launch and round trip; {@link
 * io.compensa.bench.SuiteBench} runs every sample plugin under the Compensa host and under
 * go-plugin's Go host ({@link io.compensa.bench.GoHostRun}), interleaved, and reports the ratio per
 * row; {@link io.compensa.bench.OptionsBench} compares JVM option sets of one Java plugin; {@link
 * io.compensa.bench.EngineBench} and {@link io.compensa.bench.ApplyBench} measure the apply engine
 * against a no-op plugin and localfs. docs/performance.md holds the latest figures.
 */
package io.compensa.bench;
