package dev.ivr.server.config;

import java.nio.file.Path;

public record PromptsConfig(
        @Doc("Directory of prompt catalogs: prompts/<language>/*.yaml.")
        Path dir) implements Validated {

    @Override
    public void validate(Problems p) {
        if (dir == null) {
            p.add("dir", "must be set");
        }
    }
}
