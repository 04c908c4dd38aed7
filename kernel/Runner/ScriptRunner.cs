using System.Text.Json.Nodes;
using Theon.Interactive;
using Theon.Kernel.Engine;
using Theon.Kernel.Runtime;

namespace Theon.Kernel.Runner;

/// <summary>
/// <c>theon run</c>: runs a .csx or the code cells of an .ipynb top to bottom with the kernel's engine, prints output
/// to the terminal, optionally writes the executed notebook, and stops at the first error naming cell and line.
/// </summary>
internal static class ScriptRunner
{
    public static int Run(FileInfo file, FileInfo? output)
    {
        var error = OutputRouter.OriginalError;
        if (!file.Exists)
        {
            error.WriteLine($"theon run: {file.FullName}: no such file");
            return 2;
        }
        NotebookDocument document;
        var isNotebook = file.Extension.Equals(".ipynb", StringComparison.OrdinalIgnoreCase);
        try
        {
            document = isNotebook ? NotebookDocument.Load(file.FullName)
                : file.Extension.Equals(".csx", StringComparison.OrdinalIgnoreCase)
                    ? NotebookDocument.FromScript(File.ReadAllText(file.FullName))
                    : throw new InvalidDataException(
                        $"{file.FullName}: expected a .csx or .ipynb file, got '{file.Extension}'");
        }
        catch (InvalidDataException problem)
        {
            error.WriteLine($"theon run: {problem.Message}");
            return 2;
        }
        var exitCode = Execute(document, file, isNotebook, output is null);
        if (output is not null) document.Save(output.FullName);
        return exitCode;
    }

    private static int Execute(NotebookDocument document, FileInfo file, bool isNotebook, bool isTerminal)
    {
        KernelStartup.Initialize();
        var recorder = new CellRecorder(OutputRouter.OriginalOut, OutputRouter.OriginalError, isTerminal);
        Notebook.Host = recorder;
        Cell.ClearOutputHandler = recorder.ClearOutput;
        var engine = new ScriptEngine(file.DirectoryName);
        var executionCount = 0;
        foreach (var (cell, index) in document.CodeCells.Select((c, i) => (c, i + 1)))
        {
            var outputs = recorder.Begin();
            cell["outputs"] = outputs;
            cell["execution_count"] = ++executionCount;
            CellOutcome outcome;
            using (OutputRouter.Capture(recorder))
                outcome = engine.Execute(NotebookDocument.Source(cell), isNotebook ? $"cell{index}" : file.FullName);
            if (outcome.Value is not null) recorder.Result(executionCount, outcome.Value);
            CellRecorder.StripTransient(outputs);
            if (outcome.Error is not { } failure) continue;
            recorder.Error(failure);
            var where = isNotebook ? $"cell {index}" : file.Name;
            var line = failure.Line is { } l ? $", line {l}" : "";
            OutputRouter.OriginalError.WriteLine(string.Join(Environment.NewLine, failure.Traceback));
            OutputRouter.OriginalError.WriteLine(
                $"theon run: error in {where}{line}: {failure.Name}: {FirstLine(failure.Message)}");
            return 1;
        }
        return 0;
    }

    private static string FirstLine(string text) => text.Split('\n')[0].TrimEnd();
}
