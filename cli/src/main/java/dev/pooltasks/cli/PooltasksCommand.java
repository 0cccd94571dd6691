package dev.pooltasks.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code pooltasks}: the command line's entry point ({@code java -jar cli/target/pooltasks.jar}). Its commands:
 * {@code tasks} ({@link TasksCommand}), {@code statistics} ({@link StatisticsCommand}) and picocli's
 * {@code generate-completion}.
 */
@Command(name = "pooltasks", mixinStandardHelpOptions = true, versionProvider = PooltasksCommand.Version.class,
        description = "Lists the script execution tasks of Huawei Cloud Workspace desktop pools, from pooltasks or "
                + "a Workspace region, and counts them (from pooltasks).",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Run 'pooltasks COMMAND --help' for a command's options, credentials and examples.",
                "Tab completion in bash or zsh: source <(pooltasks generate-completion)"})
public final class PooltasksCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(CliEnvironment.system(), args));
    }

    /** Runs the command line with {@code environment} and returns its exit code. */
    static int run(CliEnvironment environment, String... args) {
        int exitCode = commandLine(environment).execute(args);
        environment.out().flush();
        environment.err().flush();
        return exitCode;
    }

    static CommandLine commandLine(CliEnvironment environment) {
        CommandLine commandLine = new CommandLine(new PooltasksCommand())
                .addSubcommand(new CommandLine(new TasksCommand(environment)))
                .addSubcommand(new CommandLine(new StatisticsCommand(environment)));
        List<CommandLine> commands = new ArrayList<>(List.of(commandLine));
        commands.addAll(commandLine.getSubcommands().values());
        // picocli's own: writes the bash/zsh completion script of every command and option to standard output.
        commandLine.addSubcommand(new CommandLine(new AutoComplete.GenerateCompletion()));
        for (CommandLine command : commands) {
            command.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n")
                    .exitCodeList(ExitCodes.HELP);
        }
        return commandLine
                .setOut(environment.out())
                .setErr(environment.err())
                .setColorScheme(CommandLine.Help.defaultColorScheme(environment.colourOnStdout() ? Ansi.ON : Ansi.OFF))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(PooltasksCommand::usageError)
                .setExecutionExceptionHandler((e, command, parseResult) -> {
                    command.getErr().println("pooltasks: unexpected error: " + e);
                    return ExitCodes.INTERNAL;
                });
    }

    /** Without a command: say which ones there are. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing the command: tasks or statistics");
    }

    /** One line saying what is wrong and where help is, instead of picocli's full usage text. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String message = e.getMessage();
        err.println("pooltasks: " + (message.startsWith("Error: ") ? message.substring("Error: ".length()) : message));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
        return ExitCodes.USAGE;
    }

    /** {@code pooltasks 0.1.0 (Java 17.0.15, Linux amd64)}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pooltasks " + CliVersion.VERSION + " (Java " + Runtime.version() + ", "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")"};
        }
    }
}
