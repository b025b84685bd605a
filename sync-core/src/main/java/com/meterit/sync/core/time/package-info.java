/**
 * Time as the engine reads it: a monotonic {@link com.meterit.sync.core.time.Ticker}, a
 * {@link com.meterit.sync.core.time.Scheduler} for timers and a
 * {@link com.meterit.sync.core.time.Sleeper} for waits. A host passes its own to
 * {@code SyncManager.builder()} so that a test moves time by hand, as
 * {@code com.meterit.sync.core.testing} does; the engine and the HTTP gateway depend on this
 * package, and it depends on nothing.
 */
package com.meterit.sync.core.time;
