using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Contexts;

/// <summary>
/// A context struct as the kernel presents it after the verifier's ctx access rewriting: plain
/// fields read from the struct's bytes (narrow loads allowed), pointer fields that yield a full
/// 64-bit address even when UAPI declares them u32 (xdp_md-&gt;data), and stores only into the fields
/// the kernel lets that program type write. Anything else is refused, which the VM reports as a
/// memory violation naming the context region.
/// </summary>
public sealed class ContextMemory : IVirtualMemory
{
    private readonly List<(int Offset, int Width, Func<ulong> Value)> _pointers = new();
    private readonly List<(int Start, int End)> _writable = new();
    // _cover[b] = index of the pointer field covering byte b, or -1: one array read decides a load
    // (loads of xdp_md->data happen on every XDP run, so this is on the hot path).
    private readonly int[] _cover;

    public ContextMemory(int size)
    {
        Bytes = new byte[size];
        _cover = new int[size];
        Array.Fill(_cover, -1);
    }

    /// <summary>The struct's bytes (plain fields). Set before a run, read after it.</summary>
    public byte[] Bytes { get; private set; }

    /// <summary>Moves the bytes into the region's pinned array, which becomes the one copy.</summary>
    internal void Bind(MemoryRegion region)
    {
        Bytes.AsSpan().CopyTo(region.Bytes);
        Bytes = region.Bytes;
        // Pointer fields are fixed while the context is attached (its regions do not move), so compute
        // them once here instead of on every load.
        _values = new ulong[_pointers.Count];
        for (int i = 0; i < _pointers.Count; i++) _values[i] = _pointers[i].Value();
        var at = new ulong[Bytes.Length];
        var wide = new ulong[Bytes.Length];
        for (int i = 0; i < _pointers.Count; i++)
        {
            at[_pointers[i].Offset] = _values[i];
            if (_pointers[i].Width == 8) wide[_pointers[i].Offset] = _values[i];
        }
        PointerAt = at;
        WidePointerAt = wide;
        Region = region;
    }

    internal MemoryRegion? Region { get; private set; }

    /// <summary>
    /// Recomputes the pointer fields after a helper moved what they point at (bpf_xdp_adjust_head/tail). The
    /// arrays are updated in place because the running machine holds them for its fast context loads.
    /// </summary>
    internal void RefreshPointers()
    {
        for (int i = 0; i < _pointers.Count && i < _values.Length; i++)
        {
            ulong v = _pointers[i].Value();
            _values[i] = v;
            PointerAt[_pointers[i].Offset] = v;
            if (_pointers[i].Width == 8) WidePointerAt[_pointers[i].Offset] = v;
        }
    }

    private ulong[] _values = Array.Empty<ulong>();

    /// <summary>
    /// Per byte offset: the pointer a whole load of a pointer field starting there yields, else 0
    /// (real pointers are never 0). Lets the machine answer the common context loads (xdp_md->data,
    /// data_end) without a region lookup; anything else still goes through <see cref="TryLoad"/>.
    /// </summary>
    internal ulong[] PointerAt { get; private set; } = Array.Empty<ulong>();

    /// <summary>As <see cref="PointerAt"/>, for 8-byte loads: only the 8-byte-wide pointer fields.</summary>
    internal ulong[] WidePointerAt { get; private set; } = Array.Empty<ulong>();

    /// <summary>
    /// A field at <paramref name="offset"/>, <paramref name="width"/> bytes wide in UAPI (4 for the
    /// u32 packet pointers, 8 for __bpf_md_ptr), whose 4- or 8-byte loads yield a pointer.
    /// </summary>
    public ContextMemory Pointer(int offset, int width, Func<ulong> value)
    {
        int index = _pointers.Count;
        _pointers.Add((offset, width, value));
        for (int b = offset; b < offset + width && b < _cover.Length; b++) _cover[b] = index;
        return this;
    }

    /// <summary>Bytes [offset, offset+size) programs may store to.</summary>
    public ContextMemory Writable(int offset, int size)
    {
        _writable.Add((offset, offset + size));
        return this;
    }

    public bool TryLoad(int offset, int size, out ulong value)
    {
        value = 0;
        int first = _cover[offset], last = _cover[offset + size - 1];
        if (first >= 0 || last >= 0)
        {
            // Only a whole load of the field is rewritten; a partial one would leak half an address.
            if (first < 0 || first != last || _pointers[first].Offset != offset || size is not (4 or 8)) return false;
            value = first < _values.Length ? _values[first] : _pointers[first].Value();
            return true;
        }
        var s = Bytes.AsSpan(offset, size);
        value = size switch
        {
            1 => s[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(s),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(s),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(s),
        };
        return true;
    }

    public bool TryStore(int offset, int size, ulong value)
    {
        foreach (var (start, end) in _writable)
        {
            if (offset < start || offset + size > end) continue;
            var s = Bytes.AsSpan(offset, size);
            switch (size)
            {
                case 1: s[0] = (byte)value; break;
                case 2: BinaryPrimitives.WriteUInt16LittleEndian(s, (ushort)value); break;
                case 4: BinaryPrimitives.WriteUInt32LittleEndian(s, (uint)value); break;
                default: BinaryPrimitives.WriteUInt64LittleEndian(s, value); break;
            }
            return true;
        }
        return false;
    }

    public uint U32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(offset));
    public ulong U64(int offset) => BinaryPrimitives.ReadUInt64LittleEndian(Bytes.AsSpan(offset));
    public void SetU32(int offset, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(Bytes.AsSpan(offset), v);
    public void SetU64(int offset, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(Bytes.AsSpan(offset), v);
}

/// <summary>A context whose r1 points at a socket (sock_ops, sockopt, skb with an owning socket).</summary>
public interface ISocketContext
{
    Kernel.SimulatedSocket? Socket { get; }
}
