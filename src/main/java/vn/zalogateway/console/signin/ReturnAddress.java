package vn.zalogateway.console.signin;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Where the console may send a browser back to after sign-in or a change of language: a console page of this
 * server, as a path and query. Never another site (no scheme, no host, no {@code //} or {@code \}), never a
 * path that climbs out of the console ({@code ..}), and never anything that cannot stand in a Location header
 * as it is (spaces, line breaks, other than printable ASCII, overlong): whatever a stranger puts there,
 * the answer is a redirect to a console page, never an error.
 */
public final class ReturnAddress {

    static final String CONSOLE = "/console";
    /** Longer is not a page the console links to. */
    static final int LONGEST = 2048;

    private ReturnAddress() {
    }

    /** The target if it is a console page other than the sign-in form (where a sign-in returns to). */
    public static Optional<String> afterSignIn(String target) {
        return of(target).filter(path -> !path.startsWith(ConsoleAuthentication.SIGN_IN));
    }

    /** The target if it is a console page, the sign-in form included (where a change of language returns to). */
    public static Optional<String> of(String target) {
        if (target == null || target.isEmpty() || target.length() > LONGEST
                || !target.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '\\')) {
            return Optional.empty();
        }
        String path = target.split("[?#]", 2)[0];
        if (!(path.equals(CONSOLE) || path.startsWith(CONSOLE + "/")) || path.contains("//")) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(target);
            if (uri.getScheme() != null || uri.getRawAuthority() != null || uri.getPath() == null) {
                return Optional.empty();
            }
            for (String segment : uri.getPath().split("/", -1)) {
                if (segment.equals(".") || segment.equals("..")) {
                    return Optional.empty();
                }
            }
            return Optional.of(target);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The target as a Location if it is a console page, else the console's overview. */
    public static URI orConsole(Optional<String> target) {
        return URI.create(target.orElse(CONSOLE));
    }
}
