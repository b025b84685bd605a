/**
 * One run of the engine and the parts that each own one thing in it: {@code RunLoop} (claims and
 * sends until the source is empty), {@code HeldBatches} (every source call paired with its lease
 * hold or drop), {@code Lanes} and {@code UploadWindow} (the window's slots), {@code StopSignal}
 * (the one stop), {@code BatchUploader} with the pure {@code RetryDecisions} (a failure turned
 * into a retry, a split, a set-aside or a give-up), and {@code LeaseKeeper}.
 *
 * <p>Not public API: {@code com.meterit.sync.core.SyncManager} is the only user. It is public
 * only because Java has no visibility between packages; OSGi exports it {@code x-internal}, and
 * it may change in any release without notice. It depends on the API, {@code core.time} and
 * {@code core.internal}, never on {@code com.meterit.sync.core}, so the packages form no cycle.
 */
package com.meterit.sync.core.internal.run;
