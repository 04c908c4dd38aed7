namespace Theon.Interactive.Tests;

/// <summary>Tests that depend on whether plotly.js was already sent in this process run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PlotlySessionCollection
{
    public const string Name = "plotly session";
}
