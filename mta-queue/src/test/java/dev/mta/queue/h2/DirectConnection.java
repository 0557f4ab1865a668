package dev.mta.queue.h2;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A JDBC connection to a queue database, as an operator would open one with the credentials file. */
final class DirectConnection {
    private DirectConnection() {
    }

    static Connection open(Path data) throws IOException, SQLException {
        QueueFiles files = QueueFiles.in(data);
        Credentials credentials = Credentials.read(files.credentials());
        return DriverManager.getConnection("jdbc:h2:retry:" + files.databaseBase() + ";AUTO_SERVER=TRUE;IFEXISTS=TRUE",
                credentials.user(), credentials.password());
    }

    static String setting(Path data, String name) throws IOException, SQLException {
        try (Connection connection = open(data);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = '" + name + "'")) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
