/**
 * JSON encoding on the calls' threads, below every feature that writes it: a {@link
 * dev.ivr.server.json.PooledJson#factory() JsonFactory} whose buffers come from a pool shared by all threads, and
 * {@link dev.ivr.server.json.PooledBytes} to encode into, reused the same way. Jackson's default pool is per thread,
 * and calls run on virtual threads, each new: without these every call allocated the buffers afresh.
 * The AGI connections encode their command lines into {@link dev.ivr.server.json.PooledBytes} too.
 */
package dev.ivr.server.json;
