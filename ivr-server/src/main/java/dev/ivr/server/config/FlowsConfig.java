package dev.ivr.server.config;

import java.nio.file.Path;

public record FlowsConfig(
        @Doc("Directory of flow files: flows/NAME.yaml serves agi://host/NAME.")
        Path dir) implements Validated {

    @Override
    public void validate(Problems p) {
        if (dir == null) {
            p.add("dir", "must be set");
        }
    }
}
