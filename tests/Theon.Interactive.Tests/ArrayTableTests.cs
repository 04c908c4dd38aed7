using System.Globalization;
using System.Xml.Linq;
using Theon.Interactive.Arrays;

namespace Theon.Interactive.Tests;

public class ArrayTableTests
{
    /// <summary>An array whose element i reads as its row-major index, so a cell tells where it came from.</summary>
    private static ArrayView Counting(params int[] shape) =>
        new(shape, "float64", i => i.ToString(CultureInfo.InvariantCulture));

    private static XElement Parse(ArrayView array, string? name = null) =>
        XElement.Parse(ArrayTable.Render(array, name));

    private static List<List<string>> BodyRows(XElement table) =>
        table.Element("tbody")!.Elements("tr").Select(r => r.Elements("td").Select(d => d.Value).ToList()).ToList();

    [Fact]
    public void Matrix_is_a_table_with_indices_shape_and_dtype()
    {
        var html = Parse(Counting(2, 3), name: "W");
        Assert.Equal("W array shape (2, 3) dtype float64", html.Elements("div").First().Value);
        var table = Assert.Single(html.Elements("table"));
        Assert.Equal(["", "0", "1", "2"], table.Element("thead")!.Descendants("th").Select(t => t.Value));
        Assert.Equal([["0", "1", "2"], ["3", "4", "5"]], BodyRows(table));
    }

    [Fact]
    public void Large_matrix_is_summarised_with_three_edge_items_per_axis()
    {
        var html = Parse(Counting(100, 100));
        Assert.Contains("summarised: 10000 elements", html.Elements("div").First().Value);
        var rows = BodyRows(Assert.Single(html.Elements("table")));
        Assert.Equal(7, rows.Count);
        Assert.All(rows, r => Assert.Equal(7, r.Count));
        Assert.Equal(["0", "1", "2", "…", "97", "98", "99"], rows[0]);
        Assert.All(rows[3], cell => Assert.Equal("…", cell));
        Assert.Equal("9999", rows[^1][^1]);
    }

    [Fact]
    public void At_the_threshold_nothing_is_left_out()
    {
        var rows = BodyRows(Parse(Counting(10, 100)).Elements("table").Single());
        Assert.Equal(10, rows.Count);
        Assert.Equal(1000, rows.Sum(r => r.Count));
    }

    [Fact]
    public void Vectors_fit_one_row_or_wrap_in_rows_headed_by_their_first_index()
    {
        var shortRows = BodyRows(Parse(Counting(4)).Elements("table").Single());
        Assert.Equal([["0", "1", "2", "3"]], shortRows);
        var wrapped = Parse(Counting(25)).Elements("table").Single().Element("tbody")!.Elements("tr").ToList();
        Assert.Equal(3, wrapped.Count);
        Assert.Equal("20", wrapped[2].Element("th")!.Value);
        var summarised = BodyRows(Parse(Counting(5000)).Elements("table").Single());
        Assert.Equal([["0", "1", "2", "…", "4997", "4998", "4999"]], summarised);
    }

    [Fact]
    public void Higher_dimensions_show_each_two_dimensional_slice()
    {
        var html = Parse(Counting(2, 2, 3));
        Assert.Equal(["[0, :, :]", "[1, :, :]"], html.Elements("div").Skip(1).Select(d => d.Value));
        var slices = html.Elements("table").ToList();
        Assert.Equal(2, slices.Count);
        Assert.Equal([["6", "7", "8"], ["9", "10", "11"]], BodyRows(slices[1]));
        var big = Parse(Counting(20, 10, 10));
        Assert.Equal(6, big.Elements("table").Count());
        Assert.Single(big.Elements("div"), d => d.Value == "⋮");
        Assert.Equal("1999", BodyRows(big.Elements("table").Last())[^1][^1]);
    }

    [Fact]
    public void Scalars_and_markup_in_elements_and_names_are_escaped()
    {
        Assert.Equal("3.5", Parse(new ArrayView([], "float64", _ => "3.5")).Element("pre")!.Value);
        var text = ArrayTable.Render(new ArrayView([1], "<U5", _ => "a<b&c"), name: "x<1>");
        Assert.Contains("a&lt;b&amp;c", text);
        Assert.Contains("x&lt;1&gt;", text);
        Assert.Contains("dtype &lt;U5", text);
    }
}
