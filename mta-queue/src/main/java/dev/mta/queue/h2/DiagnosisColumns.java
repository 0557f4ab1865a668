package dev.mta.queue.h2;

import dev.mta.queue.Diagnosis;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** A diagnosis in three columns: status, text and remote MTA (null when the relay decided). */
record DiagnosisColumns(String status, String text, String remoteMta) {
    /** The recipient's last diagnosis. */
    static final DiagnosisColumns LAST = new DiagnosisColumns("last_status", "last_reply", "last_remote_mta");
    /** An attempt's diagnosis. */
    static final DiagnosisColumns ATTEMPT = new DiagnosisColumns("status", "reply", "remote_mta");

    /** Empty when no attempt was recorded yet (the status column is null). */
    Optional<Diagnosis> read(ResultSet rows) throws SQLException {
        String code = rows.getString(status);
        if (code == null) {
            return Optional.empty();
        }
        return Optional.of(new Diagnosis(code, rows.getString(text), Optional.ofNullable(rows.getString(remoteMta))));
    }

    Diagnosis require(ResultSet rows) throws SQLException {
        return read(rows).orElseThrow(() -> new SQLException("column " + status + " is null"));
    }

    /** Sets status, text and remote MTA as parameters {@code first}, {@code first + 1}, {@code first + 2}. */
    static void set(PreparedStatement statement, int first, Diagnosis diagnosis) throws SQLException {
        statement.setString(first, diagnosis.status());
        statement.setString(first + 1, diagnosis.text());
        statement.setString(first + 2, diagnosis.remoteMta().orElse(null));
    }
}
