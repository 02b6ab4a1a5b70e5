package dev.ivr.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * A subcommand that reads the server configuration ({@code --config}) and writes to picocli's out and err (its
 * {@code spec}): the fields the segment, users, dnc, webhooks and campaign subcommands each declared again.
 */
abstract class ConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Spec
    CommandLine.Model.CommandSpec spec;
}
