using System;

namespace CSharpBpf;

/// <summary>How libbpf pins a map (the <c>pinning</c> attribute of a BTF-defined map).</summary>
public enum MapPinning
{
    None = 0,
    ByName = 1,
}

/// <summary>
/// Declares a static field of a map type (<see cref="ArrayMap{T}"/>, <see cref="HashMap{TKey,TValue}"/>, …)
/// as a BTF-defined map in the object's <c>.maps</c> section. The field's name is the map's name.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class MapAttribute : Attribute
{
    /// <summary>Entries (for <see cref="RingBuf"/>: the buffer size in bytes, a power of two multiple of the page size).</summary>
    public uint MaxEntries { get; set; }

    /// <summary>BPF_F_* map flags (e.g. BPF_F_NO_PREALLOC = 1 for hash maps).</summary>
    public uint Flags { get; set; }

    public MapPinning Pinning { get; set; }
}
