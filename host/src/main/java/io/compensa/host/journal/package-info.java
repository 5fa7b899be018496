/**
 * The apply journal: the durable story of an apply, from which {@code compensa recover} finishes an
 * apply whose host died.
 *
 * <p>The engine reports to an {@link io.compensa.host.journal.ApplyJournal} from the one place that
 * calls plugins: each call's intent (durable before the call is made) and result, failed
 * post-driver steps, each outcome with the state record it leaves, FinalizeApply, and completion. A
 * {@link io.compensa.host.journal.Journal} stores it; the embedded default is {@link
 * io.compensa.host.journal.FileJournal}, an append-only file of checksummed lines beside the state,
 * whose torn last line (a crash mid-write) is detected and ignored.
 */
package io.compensa.host.journal;
