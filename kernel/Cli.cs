using System.CommandLine;
using Theon.Kernel.Runner;

namespace Theon.Kernel;

/// <summary>The <c>theon</c> command line: kernel, install, run, --version.</summary>
internal static class Cli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Theon: a Jupyter kernel and notebook runner for C#, with Theon loaded.");
        root.Subcommands.Add(RunCommand());
        return root;
    }

    private static Command RunCommand()
    {
        var file = new Argument<FileInfo>("file") { Description = "The .csx script or .ipynb notebook to run." };
        var output = new Option<FileInfo?>("--output", "-o")
        {
            Description = "Write the executed notebook (nbformat 4.5) here.",
        };
        var command = new Command("run", "Run a notebook or script top to bottom; exit non-zero on the first error.")
        {
            file, output,
        };
        command.SetAction(parse => ScriptRunner.Run(parse.GetValue(file)!, parse.GetValue(output)));
        return command;
    }
}
