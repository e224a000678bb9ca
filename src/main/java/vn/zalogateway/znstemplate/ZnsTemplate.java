package vn.zalogateway.znstemplate;

import java.time.Duration;
import java.time.Instant;

import vn.zalogateway.provider.ZnsTemplateInfo;

/** A ZNS template of an OA as the gateway keeps it: what {@code source} (etelecom, esms) answered at {@code checkedAt}. */
public record ZnsTemplate(long oaId, ZnsTemplateInfo info, String source, Instant checkedAt) {

    /** The status a template must have to be sent. */
    public static final String ENABLE = "ENABLE";

    public long templateId() {
        return info.templateId();
    }

    /** Whether the reading is younger than {@code refresh} at {@code now}. */
    boolean freshAt(Instant now, Duration refresh) {
        return checkedAt.isAfter(now.minus(refresh));
    }
}
