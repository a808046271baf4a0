package org.neurostream.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one command line: the all-in-one demo, each service on its own, and the model tools. */
@Command(name = "neurostream", mixinStandardHelpOptions = true, version = "NeuroStream 0.1.0",
        description = "Automatic longitudinal comparison of brain MRI, streamed back to the radiologist's tools.",
        subcommands = {DemoCommand.class, IngestCommand.class, ProcessorCommand.class, SinkCommand.class,
            PhantomCommand.class, TrainModelCommand.class, TrainLesionsCommand.class, TuneTissueCommand.class, CalibratePbvcCommand.class,
            EvaluateModelCommand.class, BenchCommand.class, ConvertTfjsCommand.class, ImportCommand.class, BrokerCommand.class})
public final class NeuroStreamCli {
    public static void main(String[] args) {
        System.exit(new CommandLine(new NeuroStreamCli()).execute(args));
    }
}
