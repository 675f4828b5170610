using System;
using System.Collections.Generic;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Maps;

/// <summary>
/// Fixed-size value slots in one region, like the kernel's preallocated hash-map elements: a
/// deleted slot returns to a free list and is reused, so a stale value pointer sees new contents
/// (as in the kernel) but never leaves VM memory. The region starts small and grows to capacity.
/// </summary>
internal sealed class ValueSlab
{
    private readonly AddressSpace _memory;
    private readonly Stack<int> _free = new();
    private int _used;

    public ValueSlab(AddressSpace memory, string name, int slotSize, int capacity, object owner, bool writable)
    {
        _memory = memory;
        SlotSize = Math.Max(slotSize, 8);
        Capacity = capacity;
        Region = memory.Add(name, RegionKind.MapValue, SlotSize * Math.Min(capacity, 16), writable: writable, owner: owner);
    }

    public MemoryRegion Region { get; }
    public int SlotSize { get; }
    public int Capacity { get; }

    /// <summary>A zeroed slot, or -1 when all <see cref="Capacity"/> slots are taken.</summary>
    public int Allocate()
    {
        int slot;
        if (_free.Count > 0) slot = _free.Pop();
        else
        {
            if (_used >= Capacity) return -1;
            slot = _used++;
            if ((long)_used * SlotSize > Region.Length)
            {
                long grown = Math.Min((long)Capacity * SlotSize, Math.Max((long)Region.Length * 2, (long)_used * SlotSize));
                if (grown > 256L << 20) throw new InvalidOperationException($"map region '{Region.Name}' would exceed 256 MiB");
                _memory.Resize(Region, (int)grown);
            }
        }
        Span(slot).Clear();
        return slot;
    }

    public void Free(int slot) => _free.Push(slot);

    public Span<byte> Span(int slot) => Region.Span.Slice(slot * SlotSize, SlotSize);

    public ulong AddressOf(int slot, int byteOffset = 0) => Region.AddressOf((long)slot * SlotSize + byteOffset);
}
