package dev.mta.queue.h2;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in one database transaction: all of it commits, or none of it. */
final class Transactions {
    private Transactions() {
    }

    static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
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
