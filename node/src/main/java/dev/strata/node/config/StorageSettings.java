package dev.strata.node.config;

import java.nio.file.Path;

/** Where the node keeps its persistent state. */
public record StorageSettings(Path dataDir) {
    public static StorageSettings from(ResolvedConfig c) {
        return new StorageSettings(c.get(ConfigKeys.DATA_DIR));
    }
}
