/**
 * The entry point for programs that embed the host: {@link io.compensa.host.embed.CompensaHost}
 * opens a {@code compensa.json} as the CLI does (its plugins launched, the state and journal it
 * names opened through {@link io.compensa.host.embed.HostStores}: a file, or PostgreSQL) and gives
 * an {@link io.compensa.host.apply.ApplyEngine} over them. Programs that need finer control use the
 * packages underneath directly: {@code launch}, {@code endpoint}, {@code apply}, {@code state}.
 */
package io.compensa.host.embed;
