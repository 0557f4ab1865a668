package dev.mta.server.config;

/** @param minFreeSpace below this much free disk the relay answers 452 4.3.1 instead of accepting mail */
public record QueueConfig(long minFreeSpace) {
}
