/**
 * Micrometer metrics of a {@link com.meterit.sync.core.SyncManager}: {@link
 * com.meterit.sync.core.metrics.SyncMetrics}. Micrometer is an optional dependency of meter-sync:
 * only this package uses it, and nothing else refers to this package, so a host without
 * Micrometer on its class path never loads it.
 */
package com.meterit.sync.core.metrics;
