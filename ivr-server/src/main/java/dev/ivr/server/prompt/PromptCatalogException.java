package dev.ivr.server.prompt;

import java.util.List;

/** A prompt catalog cannot be used; each problem is {@code file:line:column: message}. */
public final class PromptCatalogException extends RuntimeException {
    private final List<String> problems;

    public PromptCatalogException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
