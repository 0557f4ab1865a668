package dev.mta.server.config;

/**
 * @param minFreeSpace below this much free disk the relay answers 452 4.3.1 instead of accepting mail
 * @param reserveSpace held back for the queue's own writes on a disk someone else filled
 */
public record QueueConfig(long minFreeSpace, long reserveSpace) {
}
