using System;
using System.Collections.Generic;

namespace CSharpBpf.Vm.Maps;

/// <summary>Compares map keys by content, as the kernel's hash maps do (memcmp of key_size bytes).</summary>
internal sealed class ByteKeyComparer : IEqualityComparer<byte[]>
{
    public static readonly ByteKeyComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] key)
    {
        var h = new HashCode();
        h.AddBytes(key);
        return h.ToHashCode();
    }
}
