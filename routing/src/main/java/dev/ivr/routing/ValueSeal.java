package dev.ivr.routing;

/**
 * Seals what the routing library keeps in and sends through Hazelcast (agent and call records, queue
 * definitions, statistics, commands and their results, events): an authenticated encryption supplied by the
 * application, so that a process without the application's key neither reads nor forges routing state. Install
 * it with {@code HazelcastRouting.seal}; without it values travel as plain bytes.
 *
 * <p>Implementations must authenticate: {@link #open} of bytes not made by {@link #seal} under the same key
 * throws. Both methods are called on any thread, concurrently.
 */
public interface ValueSeal {
    /** The sealed form of {@code plain} (encrypted and authenticated). */
    byte[] seal(byte[] plain);

    /**
     * The plain bytes of a sealed value.
     *
     * @throws SecurityException when the bytes were not sealed under this key or were changed
     */
    byte[] open(byte[] sealed);
}
