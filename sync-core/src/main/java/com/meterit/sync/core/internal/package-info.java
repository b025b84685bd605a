/**
 * Support code shared by {@code com.meterit.sync.core}, its run ({@code core.internal.run}),
 * {@code com.meterit.sync.core.http} and the agent. It depends on nothing of theirs.
 * Not public API: OSGi exports it {@code x-internal}, and it may change in any release without
 * notice.
 */
package com.meterit.sync.core.internal;
