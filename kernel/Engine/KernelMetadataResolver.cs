using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace Theon.Kernel.Engine;

/// <summary>
/// Resolves <c>#r "path.dll"</c> as Roslyn does and <c>#r "nuget: Name, Version"</c> to the assemblies of a package
/// that <see cref="NuGetRestorer"/> restored before the cell was compiled.
/// </summary>
internal sealed class KernelMetadataResolver(string baseDirectory) : MetadataReferenceResolver
{
    private readonly ScriptMetadataResolver files = ScriptMetadataResolver.Default.WithBaseDirectory(baseDirectory);
    private readonly Dictionary<string, ImmutableArray<PortableExecutableReference>> packages = [];

    public void Register(string directive, RestoredPackage package) => packages[Key(directive)] =
        [.. package.Assemblies.Select(a => MetadataReference.CreateFromFile(a))];

    public override ImmutableArray<PortableExecutableReference> ResolveReference(
        string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
        IsNuGet(reference)
            ? packages.GetValueOrDefault(Key(reference), [])
            : files.ResolveReference(reference, baseFilePath, properties);

    public override bool ResolveMissingAssemblies => files.ResolveMissingAssemblies;

    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition,
        AssemblyIdentity referenceIdentity) => files.ResolveMissingAssembly(definition, referenceIdentity);

    public static bool IsNuGet(string reference) => reference.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase);

    private static string Key(string reference) => string.Join(",",
        reference.Split(',', StringSplitOptions.TrimEntries)).ToLowerInvariant().Replace(" ", "");

    public override bool Equals(object? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}
