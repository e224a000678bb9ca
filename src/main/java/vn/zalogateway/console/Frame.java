package vn.zalogateway.console;

/**
 * What every console page shows around its content: who is signed in (and whether they may change
 * anything), the language and the way to the other one, the form token, and where in the console it is.
 */
public record Frame(String operator, boolean admin, String lang, String switchUrl, String csrfToken, String section) {

    public boolean english() {
        return "en".equals(lang);
    }

    public boolean signedIn() {
        return operator != null;
    }
}
