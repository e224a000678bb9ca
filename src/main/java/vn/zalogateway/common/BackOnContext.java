package vn.zalogateway.common;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Work that finished on another thread's context goes on where its caller was (a request's event loop):
 * at once when it is already there, else as a task of that context. No context (a plain thread): at once.
 */
public final class BackOnContext {

    private BackOnContext() {
    }

    public static void run(Context context, Runnable action) {
        if (context == null || context == Vertx.currentContext()) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }
}
