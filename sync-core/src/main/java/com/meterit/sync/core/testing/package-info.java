/**
 * Hand-written fakes for testing code that uses meter-sync: an in-memory queue, a scriptable
 * Client System, and a clock and scheduler driven by hand. They are shipped so that hosts, and
 * meter-sync's own modules, can test without a database, a network or real time. Not meant for
 * production use.
 */
package com.meterit.sync.core.testing;
