using System;
using System.Collections;
using System.Collections.Generic;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// An immutable array compared by content: incremental generator models must be equatable for the
/// pipeline to see that nothing changed, and arrays (even ImmutableArray) compare by reference.
/// </summary>
public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
{
    private readonly T[]? _items;

    public EquatableArray(T[] items) => _items = items;

    public static EquatableArray<T> Empty => new(Array.Empty<T>());

    public int Count => _items?.Length ?? 0;

    public T this[int index] => (_items ?? Array.Empty<T>())[index];

    public T[] AsArray() => _items ?? Array.Empty<T>();

    public bool Equals(EquatableArray<T> other)
    {
        var a = AsArray();
        var b = other.AsArray();
        if (a.Length != b.Length) return false;
        var cmp = EqualityComparer<T>.Default;
        for (int i = 0; i < a.Length; i++)
            if (!cmp.Equals(a[i], b[i])) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is EquatableArray<T> o && Equals(o);

    public override int GetHashCode()
    {
        int h = 17;
        var cmp = EqualityComparer<T>.Default;
        foreach (var item in AsArray()) h = unchecked(h * 31 + (item is null ? 0 : cmp.GetHashCode(item)));
        return h;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)AsArray()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);
}
