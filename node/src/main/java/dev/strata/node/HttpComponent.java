package dev.strata.node;

import dev.strata.node.http.HttpServer;

/** The HTTP server as a node component: ready once listening. */
final class HttpComponent implements Component {
    private final String name;
    private final HttpServer server;
    private volatile boolean listening;

    HttpComponent(String name, HttpServer server) {
        this.name = name;
        this.server = server;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() throws InterruptedException {
        server.start();
        listening = true;
    }

    @Override
    public boolean isReady() {
        return listening;
    }

    @Override
    public void stop() {
        listening = false;
        server.close();
    }

    int port() {
        return server.port();
    }
}
