package dev.lapstream.trainer;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Stand-alone entry point for the trainer's commands (the cli module registers the same command
 * classes under {@code lapstream}).
 */
@Command(name = "lapstream-trainer", mixinStandardHelpOptions = true,
        subcommands = {TrainCommand.class, EvalCommand.class, ExportCommand.class, BenchCommand.class, PeersCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
