using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Theon.Tests.TensorApi;

/// <summary>
/// Renders docs/api.md from the code: every public static method and property of <see cref="T"/> and of its nested
/// classes (nnet, nlinalg, config), with its overloads' parameters, its Theano counterpart and the first sentence of
/// its XML documentation.
/// </summary>
internal static partial class ApiReference
{
    /// <summary>Names whose Theano counterpart is not <c>theano.tensor.name</c> (or the nested module's).</summary>
    private static readonly Dictionary<string, string> Counterparts = new()
    {
        ["T.function"] = "theano.function",
        ["T.shared"] = "theano.shared",
        ["T.pp"] = "theano.printing.pp",
        ["T.debugprint"] = "theano.printing.debugprint",
        ["T.ifelse"] = "theano.ifelse.ifelse",
        ["T.clone"] = "theano.clone",
        ["T.scan"] = "theano.scan",
        ["T.dict"] = "dict(input=x, taps=[...]) in theano.scan's arguments",
        ["T.grad"] = "theano.gradient.grad",
        ["T.verify_grad"] = "theano.gradient.verify_grad",
        ["T.jacobian"] = "theano.gradient.jacobian",
        ["T.hessian"] = "theano.gradient.hessian",
        ["T.Lop"] = "theano.gradient.Lop",
        ["T.Rop"] = "theano.gradient.Rop",
        ["T.zero_grad"] = "theano.gradient.zero_grad",
        ["T.disconnected_grad"] = "theano.gradient.disconnected_grad",
        ["T.abs"] = "theano.tensor.abs_",
        ["T.reciprocal"] = "theano.tensor.inv",
        ["T.sigmoid"] = "theano.tensor.nnet.sigmoid",
        ["T.softplus"] = "theano.tensor.nnet.softplus",
        ["T.relu"] = "theano.tensor.nnet.relu",
        ["T.dimshuffle"] = "TensorVariable.dimshuffle",
        ["T.slice"] = "Python's slice (x[a:b])",
        ["T.logsumexp"] = "pytensor.tensor.logsumexp (not in Theano 1.0)",
        ["T.shape_padaxis"] = "theano.tensor.shape_padaxis",
        ["T.nnet.batch_normalization"] = "theano.tensor.nnet.bn.batch_normalization",
        ["T.nnet.batch_normalization_train"] = "theano.tensor.nnet.bn.batch_normalization_train",
        ["T.nnet.batch_normalization_test"] = "theano.tensor.nnet.bn.batch_normalization_test",
    };

    /// <summary>Theano's settings; the others are Theon's own.</summary>
    private static readonly HashSet<string> TheanoConfig = ["floatX", "compute_test_value"];

    private static readonly Dictionary<string, string> Modules = new()
    {
        ["T"] = "theano.tensor",
        ["T.nnet"] = "theano.tensor.nnet",
        ["T.nlinalg"] = "theano.tensor.nlinalg",
        ["T.signal"] = "theano.tensor.signal",
        ["T.signal.pool"] = "theano.tensor.signal.pool",
        ["T.config"] = "theano.config",
    };

    public static string Render()
    {
        var docs = Summaries();
        var text = new StringBuilder();
        text.AppendLine("# Theon's API reference");
        text.AppendLine();
        text.AppendLine("Generated from the code by `tests/Theon.Tests/Api/ApiReference.cs`; `ApiReferenceTests` fails when this");
        text.AppendLine("page is stale. Regenerate it with");
        text.AppendLine("`THEON_WRITE_API_DOC=1 tests/Theon.Tests/bin/Release/net10.0/Theon.Tests -class Theon.Tests.TensorApi.ApiReferenceTests`.");
        text.AppendLine("Each public name of `Theon.T` (`using static Theon.T;`) and of its nested classes, its parameters (one line per");
        text.AppendLine("overload) and its Theano counterpart.");
        foreach (var type in Types(typeof(T)))
        {
            var prefix = Prefix(type);
            text.AppendLine();
            text.AppendLine($"## `{prefix}` ({Modules.GetValueOrDefault(prefix, "Theon")})");
            text.AppendLine();
            text.AppendLine("| Theon | parameters | Theano | summary |");
            text.AppendLine("| --- | --- | --- | --- |");
            foreach (var (name, signatures) in Members(type))
            {
                var full = $"{prefix}.{name}";
                var summary = docs.GetValueOrDefault($"{type.FullName!.Replace('+', '.')}.{name}", "");
                text.AppendLine($"| `{full}` | {string.Join("<br>", signatures.Select(s => $"`{s}`"))} | {Counterpart(prefix, name)} | {Escape(summary)} |");
            }
        }
        return text.ToString();
    }

    private static IEnumerable<Type> Types(Type root) =>
        new[] { root }.Concat(root.GetNestedTypes(BindingFlags.Public).OrderBy(t => t.Name, StringComparer.Ordinal).SelectMany(Types));

    private static string Prefix(Type type) =>
        type.DeclaringType is { } outer ? $"{Prefix(outer)}.{type.Name}" : type.Name;

    private static IEnumerable<(string Name, string[] Signatures)> Members(Type type)
    {
        var flags = BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var methods = type.GetMethods(flags).Where(m => !m.IsSpecialName)
            .Select(m => (m.Name, Signature: $"({string.Join(", ", m.GetParameters().Select(Parameter))})"));
        var properties = type.GetProperties(flags).Select(p => (p.Name, Signature: p.CanWrite ? "get; set" : "get"));
        return methods.Concat(properties)
            .GroupBy(m => m.Name)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Select(m => m.Signature).Distinct().Order(StringComparer.Ordinal).ToArray()));
    }

    private static string Parameter(ParameterInfo p)
    {
        var name = p.GetCustomAttribute<ParamArrayAttribute>() is null ? p.Name! : $"params {p.Name}";
        return p.HasDefaultValue ? $"{name} = {Literal(p.DefaultValue)}" : name;
    }

    private static string Literal(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
    };

    private static string Counterpart(string prefix, string name)
    {
        if (Counterparts.TryGetValue($"{prefix}.{name}", out var known)) return $"`{known}`".Replace("`Python's slice (x[a:b])`", "Python's `slice` (`x[a:b]`)");
        if (prefix == "T.config" && !TheanoConfig.Contains(name)) return "(Theon's own)";
        return Modules.TryGetValue(prefix, out var module) ? $"`{module}.{name}`" : "(Theon's own)";
    }

    private static string Escape(string text) => text.Replace("|", "\\|");

    /// <summary>The first sentence of each member's summary in Theon.xml, keyed by its full name without parameters.</summary>
    private static Dictionary<string, string> Summaries()
    {
        var path = Path.ChangeExtension(typeof(T).Assembly.Location, ".xml");
        var result = new Dictionary<string, string>();
        foreach (var member in XDocument.Load(path).Descendants("member"))
        {
            var id = (string)member.Attribute("name")!;
            if (id.Length < 2 || id[0] is not ('M' or 'P')) continue;
            var key = id[2..].Split('(')[0];
            if (result.ContainsKey(key) || member.Element("summary") is not { } summary) continue;
            result[key] = FirstSentence(Plain(summary));
        }
        return result;
    }

    private static string Plain(XElement summary)
    {
        var text = new StringBuilder();
        foreach (var node in summary.Nodes())
        {
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "c" } c => $"`{c.Value}`",
                XElement { Name.LocalName: "paramref" } p => $"`{(string)p.Attribute("name")!}`",
                XElement { Name.LocalName: "see" } s => $"`{SeeName((string?)s.Attribute("cref") ?? "")}`",
                XElement e => e.Value,
                _ => "",
            });
        }
        return Whitespace().Replace(text.ToString(), " ").Trim();
    }

    private static string SeeName(string cref) => cref.Split('(')[0].Split('.').Last();

    private static string FirstSentence(string text)
    {
        var end = SentenceEnd().Match(text);
        return end.Success ? text[..(end.Index + 1)] : text;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\.(\s|$)")]
    private static partial Regex SentenceEnd();
}
