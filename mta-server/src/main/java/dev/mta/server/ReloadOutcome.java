package dev.mta.server;

import java.util.List;

/**
 * What a reload did.
 *
 * @param restartNeeded changed keys that only a restart applies (listener addresses, the data
 *                      directory, delivery settings other than the policy tables...), sorted;
 *                      the relay keeps their old values until then
 */
public record ReloadOutcome(List<String> restartNeeded) {

    public ReloadOutcome {
        restartNeeded = List.copyOf(restartNeeded);
    }
}
