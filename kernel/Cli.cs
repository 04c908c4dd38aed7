using System.CommandLine;
using Theon.Compile;
using Theon.Kernel.Install;
using Theon.Kernel.Jupyter;
using Theon.Kernel.Runner;

namespace Theon.Kernel;

/// <summary>The <c>theon</c> command line: kernel, install, run, --version.</summary>
internal static class Cli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Theon: a Jupyter kernel and notebook runner for C#, with Theon loaded.");
        root.Subcommands.Add(KernelCommand());
        root.Subcommands.Add(InstallCommand());
        root.Subcommands.Add(RunCommand());
        return root;
    }

    private static Command KernelCommand()
    {
        var connection = new Option<string>("--connection-file", "-f")
        {
            Description = "The connection file Jupyter wrote for this kernel.", Required = true,
        };
        var command = new Command("kernel", "Serve Jupyter's messaging protocol (what Jupyter launches).")
        {
            connection,
        };
        command.SetAction(parse => KernelServer.Run(parse.GetValue(connection)!));
        return command;
    }

    private static Command InstallCommand()
    {
        var user = new Option<bool>("--user") { Description = "Install for the current user (the default)." };
        var prefix = new Option<string?>("--prefix") { Description = "Install under PREFIX/share/jupyter/kernels." };
        var name = new Option<string>("--name")
        {
            Description = "The kernelspec's name.", DefaultValueFactory = _ => "theon",
        };
        var command = new Command("install", "Write the Jupyter kernelspec for this theon.") { user, prefix, name };
        command.SetAction(parse =>
            KernelSpecInstaller.Install(parse.GetValue(user), parse.GetValue(prefix), parse.GetValue(name)!));
        return command;
    }

    private static Command RunCommand()
    {
        var file = new Argument<FileInfo>("file") { Description = "The .csx script or .ipynb notebook to run." };
        var output = new Option<FileInfo?>("--output", "-o")
        {
            Description = "Write the executed notebook (nbformat 4.5) here.",
        };
        var backend = new Option<string?>("--backend")
        {
            Description = $"Set Theon's config.backend ({string.Join(", ", Backend.Names)}) before the first cell, " +
                "so every function the notebook compiles runs there.",
        };
        backend.AcceptOnlyFromAmong([.. Backend.Names]);
        var command = new Command("run", "Run a notebook or script top to bottom; exit non-zero on the first error.")
        {
            file, output, backend,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(backend) is { } name) Theon.T.config.backend = name;
            return ScriptRunner.Run(parse.GetValue(file)!, parse.GetValue(output));
        });
        return command;
    }
}
