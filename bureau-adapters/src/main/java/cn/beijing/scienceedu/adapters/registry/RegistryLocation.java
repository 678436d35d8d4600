package cn.beijing.scienceedu.adapters.registry;

import java.util.Map;

/**
 * Where the bureau registry is read from: {@code HUB_BUREAU_REGISTRY}, one file or a comma-separated list
 * ({@code classpath:}/{@code file:}), imported by {@code spring.config.import}. The setting was called
 * {@code HUB_BUREAUS_CONFIG}; as an environment variable Spring's relaxed binding reads that name as
 * {@code hub.bureaus.config} — a bureau named "config" — and the start failed with a converter error that named
 * neither. A deployment still using the old name is told so plainly instead.
 */
public final class RegistryLocation {

    /** The setting that names the registry files. */
    public static final String SETTING = "HUB_BUREAU_REGISTRY";
    /** Its old name. */
    public static final String OLD_SETTING = "HUB_BUREAUS_CONFIG";

    private RegistryLocation() {
    }

    /** Refuses an environment that still names the registry by the old setting. */
    public static void refuseOldSetting(Map<String, String> environment) {
        String old = environment.get(OLD_SETTING);
        if (old != null) {
            throw new IllegalStateException(OLD_SETTING + " is now " + SETTING + ": set " + SETTING + "=" + old
                    + " and remove " + OLD_SETTING + " (as an environment variable it reads as a bureau named \"config\")");
        }
    }
}
