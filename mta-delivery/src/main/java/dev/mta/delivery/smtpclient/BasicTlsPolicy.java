package dev.mta.delivery.smtpclient;

/** The two policies that need no DNS: {@link TlsPolicy#none()} and {@link TlsPolicy#opportunistic()}. */
enum BasicTlsPolicy implements TlsPolicy {
    NONE(StartTls.NEVER, "none"),
    OPPORTUNISTIC(StartTls.IF_OFFERED, "opportunistic");

    private final StartTls startTls;
    private final String name;

    BasicTlsPolicy(StartTls startTls, String name) {
        this.startTls = startTls;
        this.name = name;
    }

    @Override
    public StartTls startTls() {
        return startTls;
    }

    @Override
    public String toString() {
        return name;
    }
}
