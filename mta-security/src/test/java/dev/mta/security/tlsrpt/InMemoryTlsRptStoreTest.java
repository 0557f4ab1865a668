package dev.mta.security.tlsrpt;

class InMemoryTlsRptStoreTest extends TlsRptStoreContract {

    @Override
    TlsRptStore newStore() {
        return new InMemoryTlsRptStore();
    }
}
