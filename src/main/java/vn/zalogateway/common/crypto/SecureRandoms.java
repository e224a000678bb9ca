package vn.zalogateway.common.crypto;

import java.security.SecureRandom;

/**
 * The process's SecureRandom, made on first use in the running process. Not in a static initialiser or a
 * holder class: the native image runs this application's class initialisers while it is built, and a
 * SecureRandom made there is refused by the build (or, seeded once, would repeat its values in every process).
 */
public final class SecureRandoms {

    private static volatile SecureRandom shared;

    private SecureRandoms() {
    }

    public static SecureRandom shared() {
        SecureRandom source = shared;
        if (source == null) {
            synchronized (SecureRandoms.class) {
                source = shared;
                if (source == null) {
                    shared = source = new SecureRandom();
                }
            }
        }
        return source;
    }
}
