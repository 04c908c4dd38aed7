using System.Collections;

namespace Theon;

/// <summary>An immutable list with value equality, so that op records holding lists compare by content.</summary>
public sealed class Seq<T> : IReadOnlyList<T>, IEquatable<Seq<T>>
{
    private readonly T[] items;

    public Seq(IEnumerable<T> items) => this.items = [.. items];

    public static readonly Seq<T> Empty = new([]);

    public T this[int index] => items[index];

    public int Count => items.Length;

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();

    public bool Equals(Seq<T>? other) => other is not null && items.SequenceEqual(other.items);

    public override bool Equals(object? obj) => Equals(obj as Seq<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in items) hash.Add(item);
        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(",", items);

    public static implicit operator Seq<T>(T[] items) => new(items);

    public static implicit operator Seq<T>(List<T> items) => new(items);
}
