using System;

namespace CSharpBpf.Vm.Memory;

/// <summary>
/// One addressable block of VM memory. Its bytes live in a pinned array so both engines can
/// reach them through a raw pointer after a bounds check; its address is synthetic
/// (see <see cref="AddressSpace"/>), so no host address ever reaches a program.
/// </summary>
public sealed class MemoryRegion
{
    internal MemoryRegion(int id, string name, RegionKind kind, byte[] bytes, bool readable, bool writable, IVirtualMemory? virtualMemory, object? owner)
    {
        Id = id;
        Name = name;
        Kind = kind;
        Bytes = bytes;
        Readable = readable;
        Writable = writable;
        Virtual = virtualMemory;
        Owner = owner;
    }

    public int Id { get; }
    public string Name { get; }
    public RegionKind Kind { get; }
    public bool Readable { get; }
    public bool Writable { get; }

    /// <summary>For context regions: computes loads/stores instead of reading <see cref="Bytes"/>.</summary>
    public IVirtualMemory? Virtual { get; }

    /// <summary>Who owns the region (a map, a simulated socket, a program): helpers use it to recognise pointers.</summary>
    public object? Owner { get; }

    /// <summary>The backing bytes (pinned). Replaced when the region grows.</summary>
    public byte[] Bytes { get; internal set; }

    public int Length => Bytes.Length;

    public bool IsLive { get; internal set; } = true;

    /// <summary>The synthetic address of byte 0.</summary>
    public ulong Address => AddressSpace.BaseOf(Id);

    public ulong AddressOf(long offset) => unchecked(Address + (ulong)offset);

    public Span<byte> Span => Bytes;

    public override string ToString() => $"'{Name}' ({Kind}, {Length} bytes at 0x{Address:x})";
}
