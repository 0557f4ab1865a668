package dev.mta.security.password;

/**
 * The cost of new Argon2id hashes. Hashes already stored keep the cost written in them.
 *
 * @param memoryKiB   memory per hash in KiB (the PHC string's {@code m})
 * @param iterations  passes over the memory ({@code t})
 * @param parallelism lanes ({@code p}); Bouncy Castle computes them one after the other
 */
public record Argon2Cost(int memoryKiB, int iterations, int parallelism) {
    /**
     * 64 MiB, 3 passes, 1 lane: RFC 9106 4's second recommended option for when 2 GiB per hash
     * is too much, as it is for a relay that may check many logins at once.
     */
    public static final Argon2Cost DEFAULT = new Argon2Cost(65536, 3, 1);

    /** Beyond this a stored hash is refused rather than computed: it would exhaust the heap. */
    static final int MAX_MEMORY_KIB = 1024 * 1024;

    public Argon2Cost {
        if (parallelism < 1 || parallelism > 255) {
            throw new IllegalArgumentException("parallelism must be 1 to 255, not " + parallelism);
        }
        // RFC 9106 3.1: at least 8 KiB per lane.
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("memory must be " + 8 * parallelism + " to " + MAX_MEMORY_KIB
                    + " KiB, not " + memoryKiB);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, not " + iterations);
        }
    }
}
