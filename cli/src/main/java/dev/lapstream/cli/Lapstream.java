package dev.lapstream.cli;

import dev.lapstream.bench.BenchCommand;
import dev.lapstream.cli.faults.FaultsCommand;
import dev.lapstream.cli.soak.WorkerSoak;
import dev.lapstream.report.ReportCommand;
import dev.lapstream.trainer.AverageCommand;
import dev.lapstream.trainer.EvalCommand;
import dev.lapstream.trainer.ExportCommand;
import dev.lapstream.trainer.FinetuneCommand;
import dev.lapstream.trainer.TrainCommand;
import dev.lapstream.trainer.TrainRunFile;
import dev.lapstream.trainer.WidthsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.util.Optional;

/** The {@code lapstream} command. */
@Command(name = "lapstream", mixinStandardHelpOptions = true, versionProvider = Lapstream.Version.class,
        description = "Streaming arbitrary-scale video super-resolution over Kafka.",
        subcommands = {UpscaleCommand.class, IngestCommand.class, WorkerCommand.class, SinkCommand.class,
                StreamsCommand.class, DashboardCommand.class, TrainCommand.class, FinetuneCommand.class, EvalCommand.class, AverageCommand.class, ExportCommand.class,
                BenchCommand.class, FaultsCommand.class, WidthsCommand.class, ReportCommand.class, CommandLine.HelpCommand.class})
public final class Lapstream {

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log progress of every component and print stack traces of errors.")
    boolean verbose;

    public static void main(String[] args) {
        boolean verbose = java.util.Arrays.stream(args).anyMatch(a -> a.equals("-v") || a.equals("--verbose"));
        Logging.configure(verbose);
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new ConfiguredCommandLine(new Lapstream(), new Factory());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    /** Applies {@code --config FILE} as the default values of this run; a bad file ends it with exit 2. */
    private static final class ConfiguredCommandLine extends CommandLine {

        ConfiguredCommandLine(Object command, IFactory factory) {
            super(command, factory);
        }

        @Override
        public int execute(String... args) {
            try {
                Optional<Path> file = ConfigArgument.find(args);
                Optional<Path> run = ConfigArgument.command(args).filter("train"::equals)
                        .flatMap(c -> ConfigArgument.value(args));
                if (file.isPresent()) {
                    setDefaultValueProvider(new ConfigDefaults(ConfigFile.read(file.get())));
                } else if (run.isPresent()) {
                    // a training run file has its own form: the trainer's options (see config/train/)
                    setDefaultValueProvider(TrainRunFile.read(run.get(), getSubcommands().get("train").getCommandSpec()));
                }
            } catch (ErrorHandler.UserError | IllegalArgumentException e) {
                getErr().println("lapstream: error: " + e.getMessage());
                return ErrorHandler.BAD_INPUT;
            }
            return super.execute(args);
        }
    }

    /** Picocli's factory, but {@code bench} gets the pipeline soak, which starts worker processes of this jar. */
    private static final class Factory implements CommandLine.IFactory {

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            return cls == BenchCommand.class ? cls.cast(new BenchCommand(new WorkerSoak()))
                    : CommandLine.defaultFactory().create(cls);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Lapstream.class.getPackage().getImplementationVersion();
            return new String[]{"lapstream " + (v == null ? "dev" : v)};
        }
    }
}
