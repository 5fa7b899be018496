/**
 * The credentials sample plugin: NONE compensation for what cannot be recreated, and a finalizer
 * that flushes batched changes and reports COMPENSATED itself when it rolls a failed batch back.
 */
package io.compensa.samples.credentials;
