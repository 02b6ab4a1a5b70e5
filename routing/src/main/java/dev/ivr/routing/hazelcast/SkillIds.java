package dev.ivr.routing.hazelcast;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Node-local dictionary from skill names to small ints, so that level checks are array reads. */
final class SkillIds {
    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    int id(String skill) {
        Integer id = ids.get(skill);
        return id != null ? id : ids.computeIfAbsent(skill, s -> next.getAndIncrement());
    }
}
