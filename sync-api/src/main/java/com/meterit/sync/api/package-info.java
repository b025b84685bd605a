/**
 * The contracts and immutable values of meter-sync.
 *
 * <p>A {@link com.meterit.sync.api.ReadingSource} is the local queue of meter readings, a
 * {@link com.meterit.sync.api.ClientSystemGateway} is the central Client System, and the engine
 * in {@code sync-core} moves readings from one to the other. Everything here is free of
 * dependencies so that hosts can implement a source or a gateway without pulling in the engine.
 */
package com.meterit.sync.api;
