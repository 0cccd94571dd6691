package dev.pooltasks.app;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.HttpServer;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Requests to the management interface (health, metrics), which listens on its own port. */
public final class Management {
    private Management() {
    }

    /** A request to the running application's management port. */
    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }

    public static int port() {
        return Arc.container().instance(HttpServer.class).get().getManagementPort();
    }
}
