package dev.mta.queue.h2;

import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.queue.Selection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link Selection} as a condition on a recipient row {@code r}, with the parameters it binds.
 * Message criteria are asked through a subquery on the message row, so the condition also fits
 * {@code SELECT ... FOR UPDATE} on the recipient table alone.
 */
final class SelectionSql {
    private final StringBuilder condition = new StringBuilder("TRUE");
    private final List<Parameter> parameters = new ArrayList<>();

    private SelectionSql() {
    }

    static SelectionSql of(Selection selection, Instant now) {
        SelectionSql sql = new SelectionSql();
        if (!selection.ids().isEmpty()) {
            sql.condition.append(" AND r.message_id IN (")
                    .append(String.join(", ", java.util.Collections.nCopies(selection.ids().size(), "?"))).append(')');
            for (QueueId id : selection.ids().stream().sorted(java.util.Comparator.comparing(QueueId::value)).toList()) {
                sql.text(id.value());
            }
        }
        List<String> onMessage = new ArrayList<>();
        List<Parameter> messageParameters = new ArrayList<>();
        selection.sender().ifPresent(sender -> {
            onMessage.add(addressMatches("m.sender"));
            addressParameters(sender, messageParameters);
        });
        selection.minimumAge().ifPresent(age -> {
            onMessage.add("m.received_at <= ?");
            Instant arrivedBy = now.minus(age);
            messageParameters.add((statement, index) -> Timestamps.set(statement, index, arrivedBy));
        });
        if (!onMessage.isEmpty()) {
            sql.condition.append(" AND EXISTS (SELECT 1 FROM message m WHERE m.id = r.message_id AND ")
                    .append(String.join(" AND ", onMessage)).append(')');
            sql.parameters.addAll(messageParameters);
        }
        selection.recipient().ifPresent(address -> {
            sql.condition.append(" AND ").append(addressMatches("r.address"));
            addressParameters(address, sql.parameters);
        });
        selection.recipientDomain().ifPresent(domain -> {
            sql.condition.append(" AND LOWER(r.address) LIKE ? ESCAPE '\\'");
            sql.text("%@" + escapeLike(domain));
        });
        if (!selection.states().isEmpty()) {
            sql.condition.append(" AND r.state IN (")
                    .append(String.join(", ", java.util.Collections.nCopies(selection.states().size(), "?"))).append(')');
            for (RecipientState state : selection.states().stream().sorted().toList()) {
                sql.text(state.name());
            }
        }
        selection.reason().ifPresent(reason -> {
            sql.condition.append(" AND LOWER(r.last_reply) LIKE ? ESCAPE '\\'");
            sql.text("%" + escapeLike(reason.toLowerCase(Locale.ROOT)) + "%");
        });
        return sql;
    }

    /** The condition, to be combined with others by AND. */
    String condition() {
        return "(" + condition + ")";
    }

    /** Binds the parameters starting at {@code first}; returns the index of the next one. */
    int bind(PreparedStatement statement, int first) throws SQLException {
        int index = first;
        for (Parameter parameter : parameters) {
            parameter.bind(statement, index++);
        }
        return index;
    }

    /**
     * The whole address in any case, and the local part exactly: RFC 5321 2.4 lets only the
     * local part be case-sensitive. (LIKE is case-sensitive in H2.)
     */
    private static String addressMatches(String column) {
        return "(LOWER(" + column + ") = ? AND " + column + " LIKE ? ESCAPE '\\')";
    }

    private static void addressParameters(String address, List<Parameter> parameters) {
        int at = address.lastIndexOf('@');
        String exactPattern = at < 0 ? escapeLike(address) : escapeLike(address.substring(0, at + 1)) + "%";
        String lower = address.toLowerCase(Locale.ROOT);
        parameters.add((statement, index) -> statement.setString(index, lower));
        parameters.add((statement, index) -> statement.setString(index, exactPattern));
    }

    private void text(String value) {
        parameters.add((statement, index) -> statement.setString(index, value));
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    @FunctionalInterface
    private interface Parameter {
        void bind(PreparedStatement statement, int index) throws SQLException;
    }
}
