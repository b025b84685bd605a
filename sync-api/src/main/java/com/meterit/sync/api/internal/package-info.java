/**
 * Support code that sync-api, sync-core and sync-jdbc share: the ASCII timestamp writer and the
 * value's plain text behind both the batch digest and the wire format, which must produce the same
 * text, and the bounds a value is checked against. Not public API: it may change in any release
 * without notice (exported to OSGi as {@code x-internal}).
 */
package com.meterit.sync.api.internal;
