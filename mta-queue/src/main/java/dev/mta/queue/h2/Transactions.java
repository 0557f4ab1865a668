package dev.mta.queue.h2;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs work in one database transaction: all of it commits, or none of it.
 *
 * <p>Claims and operator actions lock many recipient rows in different orders, so two of them
 * can deadlock; H2 then rolls one back ("deadlock victim", SQLSTATE 40001). That transaction
 * changed nothing, so it is run again, a few times, instead of failing a delivery round or an
 * operator's command. The work must therefore keep no state outside the database between runs.
 */
final class Transactions {
    /** SQLSTATE of a transaction rolled back to resolve a deadlock (SQL:2016 "serialization failure"). */
    private static final String ROLLED_BACK_FOR_DEADLOCK = "40001";
    private static final int RUNS = 5;

    private Transactions() {
    }

    static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        for (int run = 1; ; run++) {
            try {
                return once(connection, work);
            } catch (SQLException e) {
                if (run == RUNS || !ROLLED_BACK_FOR_DEADLOCK.equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    private static <T> T once(Connection connection, Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        T result;
        try {
            result = work.run(connection);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
                connection.setAutoCommit(true);
            } catch (SQLException cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            throw e;
        }
        connection.setAutoCommit(true);
        return result;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }
}
