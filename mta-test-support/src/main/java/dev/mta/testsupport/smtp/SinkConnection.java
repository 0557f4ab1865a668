package dev.mta.testsupport.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The sink's running record of one connection; {@link #snapshot()} gives the public view. */
final class SinkConnection {
    private final int number;
    private final List<List<String>> commandGroups = new ArrayList<>();
    private int transactions;
    private int messages;
    private boolean quitReceived;
    private boolean closed;
    private Optional<TlsDetails> tls = Optional.empty();

    SinkConnection(int number) {
        this.number = number;
    }

    int number() {
        return number;
    }

    synchronized void command(String verb, boolean startsGroup) {
        if (startsGroup || commandGroups.isEmpty()) {
            commandGroups.add(new ArrayList<>());
        }
        commandGroups.getLast().add(verb);
    }

    synchronized void transactionStarted() {
        transactions++;
    }

    synchronized void messageAccepted() {
        messages++;
    }

    synchronized void quit() {
        quitReceived = true;
    }

    synchronized void tls(TlsDetails details) {
        tls = Optional.of(details);
    }

    synchronized void closed() {
        closed = true;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized ConnectionLog snapshot() {
        return new ConnectionLog(number, commandGroups, transactions, messages, quitReceived, closed, tls);
    }
}
