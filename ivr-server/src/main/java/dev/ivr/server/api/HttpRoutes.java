package dev.ivr.server.api;

import io.vertx.ext.web.Router;

/** A feature's HTTP routes, mounted on the server's router at start. */
@FunctionalInterface
public interface HttpRoutes {
    void mount(Router router, Auth auth);
}
