/**
 * Support code shared by {@code com.meterit.sync.core} and {@code com.meterit.sync.core.http}.
 * Not public API: it may change in any release without notice.
 */
package com.meterit.sync.core.http.internal;
