using System;
using System.Buffers.Binary;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Kernel;

/// <summary>A simulated kernel object: a region laid out by a <see cref="KernelStructLayout"/>, with field access by name.</summary>
public sealed class KernelObject
{
    public KernelObject(BpfMachine machine, KernelStructLayout layout, object? owner = null, string? name = null)
    {
        Layout = layout;
        Region = machine.Memory.Add(name ?? layout.Name, RegionKind.KernelObject, layout.Size, writable: true, owner: owner ?? this);
    }

    public KernelStructLayout Layout { get; }
    public MemoryRegion Region { get; }

    /// <summary>The pointer programs receive (e.g. as a struct_ops argument).</summary>
    public ulong Address => Region.Address;

    public ulong this[string field]
    {
        get => Get(field);
        set => Set(field, value);
    }

    public ulong Get(string field)
    {
        var f = Layout[field];
        var s = Region.Span.Slice(f.Offset, f.Size);
        ulong raw = f.Size switch
        {
            1 => s[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(s),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(s),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(s),
        };
        return f.IsBitfield ? (raw >> f.BitOffset) & ((1UL << f.BitSize) - 1) : raw;
    }

    public void Set(string field, ulong value)
    {
        var f = Layout[field];
        var s = Region.Span.Slice(f.Offset, f.Size);
        if (f.IsBitfield)
        {
            ulong mask = ((1UL << f.BitSize) - 1) << f.BitOffset;
            ulong old = f.Size == 1 ? s[0] : BinaryPrimitives.ReadUInt32LittleEndian(s);
            value = (old & ~mask) | ((value << f.BitOffset) & mask);
        }
        switch (f.Size)
        {
            case 1: s[0] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(s, (ushort)value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(s, (uint)value); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(s, value); break;
        }
    }

    public uint U32(string field) => (uint)Get(field);
}
