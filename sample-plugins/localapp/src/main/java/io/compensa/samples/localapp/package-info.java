/**
 * The localapp sample plugin: an application platform on one machine. Its world is real running
 * HTTP services ({@link io.compensa.samples.localapp.WebApp}) and fronts ({@link
 * io.compensa.samples.localapp.Front}) that route users to one of them; the plugin starts them
 * detached, so they outlive it, and finds them again by the records they write in its registry.
 */
package io.compensa.samples.localapp;
