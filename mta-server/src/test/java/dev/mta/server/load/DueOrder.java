package dev.mta.server.load;

import java.util.List;

/**
 * How far a delivery order strays from the order of due times. For each delivery, its lag is the
 * number of messages due strictly earlier that were delivered after it (ties in due time are
 * never a violation). A scheduler that claims work in due order and runs up to W claimed
 * recipients at once can give a delivery a lag of at most W - 1: everything due earlier was
 * claimed with it or before it, and whatever of that was still unsettled when it was claimed
 * belongs to the same W.
 *
 * @param maxLag     the largest lag of any delivery
 * @param overtaking how many deliveries had a lag above zero (went before something due earlier)
 */
record DueOrder(int maxLag, int overtaking) {

    /** @param dueRanks the due time of each delivery as a rank (0 = earliest, equal times equal ranks), in delivery order */
    static DueOrder of(List<Integer> dueRanks) {
        int size = dueRanks.stream().mapToInt(Integer::intValue).max().orElse(0) + 2;
        // A Fenwick tree over ranks, filled from the last delivery back: how many later deliveries
        // have a smaller rank.
        int[] tree = new int[size + 1];
        int maxLag = 0;
        int overtaking = 0;
        for (int i = dueRanks.size() - 1; i >= 0; i--) {
            int rank = dueRanks.get(i) + 1;
            int lag = 0;
            for (int k = rank - 1; k > 0; k -= k & -k) {
                lag += tree[k];
            }
            maxLag = Math.max(maxLag, lag);
            if (lag > 0) {
                overtaking++;
            }
            for (int k = rank; k <= size; k += k & -k) {
                tree[k]++;
            }
        }
        return new DueOrder(maxLag, overtaking);
    }
}
