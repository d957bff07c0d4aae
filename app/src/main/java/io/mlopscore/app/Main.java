package io.mlopscore.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mlops-core} command: one jar, one subcommand per server. */
@Command(name = "mlops-core",
        usageHelpWidth = 120,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Self-hosted MLOps core: an MLflow-compatible tracking server, model registry and model server.",
        subcommands = {TrackingCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
