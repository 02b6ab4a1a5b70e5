package dev.ivr.server.api;

import java.util.Optional;

/**
 * Resolves bearer tokens that are not configured tokens: sign-in sessions kept elsewhere (in
 * the cluster, so any server knows them). May block: {@link Auth} calls it on a worker thread,
 * never on the event loop. A resolver that cannot answer (the cluster is unavailable) throws.
 */
@FunctionalInterface
public interface SessionResolver {
    Optional<Principal> resolve(String token);
}
