/**
 * An apply as a story on its plan's graph, for pictures of it ({@code compensa graph}): {@link
 * io.compensa.host.report.ApplyGraph} joins a plan's actions and dependencies with the outcomes of
 * an apply of it, and derives the cascade: which failure each skipped action waited for, and which
 * dependent blocked a rollback.
 */
package io.compensa.host.report;
