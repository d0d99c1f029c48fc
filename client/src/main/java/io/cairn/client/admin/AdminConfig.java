package io.cairn.client.admin;

import io.cairn.client.config.ClientConfig;
import io.cairn.client.config.ConfigDef;
import io.cairn.client.config.ConfigType;
import io.cairn.client.config.ConfigValidator;
import java.util.Map;

/** Validated settings of a {@link CairnAdmin}. Immutable. */
public final class AdminConfig extends ClientConfig {
    /** Deadline of every admin operation, retries included. */
    public static final String DEFAULT_API_TIMEOUT_MS = "default.api.timeout.ms";

    /** Every key an admin client accepts. */
    public static final ConfigDef DEF = commonDef("admin")
            .define(DEFAULT_API_TIMEOUT_MS, ConfigType.INT, 60_000, ConfigValidator.atLeast(1),
                    "deadline of each admin operation, retries of retriable errors included");

    /** Parses {@code given}. */
    public AdminConfig(Map<String, ?> given) {
        super(DEF, given);
    }

    /** {@value #DEFAULT_API_TIMEOUT_MS}. */
    public int defaultApiTimeoutMs() {
        return intValue(DEFAULT_API_TIMEOUT_MS);
    }
}
