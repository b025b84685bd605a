/**
 * Support code shared by {@code com.meterit.sync.core}, {@code com.meterit.sync.core.http} and the
 * agent.
 * Not public API: it may change in any release without notice.
 */
package com.meterit.sync.core.internal;
