/**
 * Support code that sync-api and sync-core share: the ASCII timestamp writer behind both the
 * batch digest and the wire format, which must produce the same text. Not public API: it may
 * change in any release without notice (exported to OSGi as {@code x-internal}).
 */
package com.meterit.sync.api.internal;
