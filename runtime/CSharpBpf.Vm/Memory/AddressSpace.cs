using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CSharpBpf.Vm.Memory;

/// <summary>One entry of the native region table the engines index by region id (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct RegionEntry
{
    public byte* Data;
    /// <summary>Bytes a load may touch (0 for virtual or unreadable regions: those take the slow path).</summary>
    public uint ReadLength;
    /// <summary>Bytes a store may touch (0 for read-only and virtual regions).</summary>
    public uint WriteLength;
}

/// <summary>
/// The VM's memory: regions addressed by synthetic 64-bit addresses. Address bits 63..32 are the
/// region id, bits 31..0 are the offset biased by 2^31, so a pointer that strays a little before its
/// region still names that region in the error. The fast check the engines inline is: id below
/// capacity, (low32 xor 2^31) + size &lt;= the entry's length. Everything else goes to
/// <see cref="Describe"/> for a precise error.
/// </summary>
public sealed unsafe class AddressSpace : IDisposable
{
    public const uint OffsetBias = 0x8000_0000u;
    private readonly List<MemoryRegion?> _regions = new() { null }; // id 0 is never used: small integers and NULL are no pointers
    private readonly Stack<int> _freeIds = new();
    private RegionEntry* _table;

    public AddressSpace(int capacity = 4096)
    {
        if (capacity < 16) throw new ArgumentOutOfRangeException(nameof(capacity));
        Capacity = capacity;
        _table = (RegionEntry*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(RegionEntry));
    }

    ~AddressSpace() => Free();

    /// <summary>How many regions may exist at once.</summary>
    public int Capacity { get; }

    internal RegionEntry* Table => _table;

    public static ulong BaseOf(int id) => (ulong)(uint)id << 32 | OffsetBias;

    public IEnumerable<MemoryRegion> Regions
    {
        get
        {
            foreach (var r in _regions) if (r is not null) yield return r;
        }
    }

    /// <summary>Adds a region of <paramref name="length"/> zero bytes.</summary>
    public MemoryRegion Add(string name, RegionKind kind, int length, bool writable = true, bool readable = true, object? owner = null)
        => AddCore(name, kind, NewPinned(length), readable, writable, null, owner);

    /// <summary>Adds a region holding a copy of <paramref name="initial"/>.</summary>
    public MemoryRegion Add(string name, RegionKind kind, ReadOnlySpan<byte> initial, bool writable = true, bool readable = true, object? owner = null)
    {
        var bytes = NewPinned(initial.Length);
        initial.CopyTo(bytes);
        return AddCore(name, kind, bytes, readable, writable, null, owner);
    }

    /// <summary>Adds a region whose accesses <paramref name="memory"/> computes (a rewritten context).</summary>
    public MemoryRegion AddVirtual(string name, RegionKind kind, int length, IVirtualMemory memory, object? owner = null)
        => AddCore(name, kind, NewPinned(length), true, true, memory, owner);

    private MemoryRegion AddCore(string name, RegionKind kind, byte[] bytes, bool readable, bool writable, IVirtualMemory? v, object? owner)
    {
        if (bytes.Length >= int.MaxValue / 2) throw new ArgumentOutOfRangeException(nameof(bytes), "a region holds less than 1 GiB");
        int id;
        if (_freeIds.Count > 0) id = _freeIds.Pop();
        else
        {
            id = _regions.Count;
            if (id >= Capacity) throw new InvalidOperationException($"the VM address space holds at most {Capacity} regions");
            _regions.Add(null);
        }
        var region = new MemoryRegion(id, name, kind, bytes, readable, writable, v, owner);
        _regions[id] = region;
        Publish(region);
        return region;
    }

    /// <summary>Gives a region new (larger or smaller) backing bytes, keeping its address; old contents are copied.</summary>
    public void Resize(MemoryRegion region, int newLength)
    {
        var bytes = NewPinned(newLength);
        region.Bytes.AsSpan(0, Math.Min(newLength, region.Length)).CopyTo(bytes);
        region.Bytes = bytes;
        Publish(region);
    }

    /// <summary>Removes a region; its id may be reused, and stale pointers to it then fault (or hit the new owner, as in a kernel use-after-free).</summary>
    public void Remove(MemoryRegion region)
    {
        if (!region.IsLive) return;
        region.IsLive = false;
        _regions[region.Id] = null;
        _table[region.Id] = default;
        _freeIds.Push(region.Id);
    }

    private void Publish(MemoryRegion r)
    {
        ref var e = ref _table[r.Id];
        e.Data = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(r.Bytes));
        bool direct = r.Virtual is null;
        e.ReadLength = direct && r.Readable ? (uint)r.Length : 0;
        e.WriteLength = direct && r.Writable ? (uint)r.Length : 0;
    }

    private static byte[] NewPinned(int length) => GC.AllocateArray<byte>(length, pinned: true);

    /// <summary>The region containing <paramref name="address"/> (by id), and the offset into it, which may be out of its bounds.</summary>
    public MemoryRegion? RegionOf(ulong address, out long offset)
    {
        offset = (long)(uint)address - OffsetBias;
        ulong id = address >> 32;
        return id < (ulong)_regions.Count ? _regions[(int)id] : null;
    }

    /// <summary>The fast check: a host pointer for [address, address+size) or null when the slow path must decide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte* TryTranslate(ulong address, int size, bool write)
    {
        ulong id = address >> 32;
        if (id >= (ulong)Capacity) return null;
        RegionEntry* e = _table + id;
        ulong off = (uint)address ^ OffsetBias;
        if (off + (ulong)size > (write ? e->WriteLength : e->ReadLength)) return null;
        return e->Data + off;
    }

    /// <summary>A span over [address, address+length) for helpers; throws a memory violation naming the region otherwise.</summary>
    public Span<byte> Slice(ulong address, int length, bool write, int pc)
    {
        var region = RegionOf(address, out long off);
        if (length < 0 || region is null || region.Virtual is not null || off < 0 || off + length > region.Length ||
            (write ? !region.Writable : !region.Readable))
            throw Violation(address, length, write, pc);
        return region.Bytes.AsSpan((int)off, length);
    }

    /// <summary>The error for a load/store that failed the checks, saying why in terms of the region.</summary>
    public BpfVmException Violation(ulong address, int size, bool write, int pc, string? what = null)
    {
        var region = RegionOf(address, out long off);
        string access = what ?? $"{(write ? "store" : "load")} of {size} bytes";
        string where;
        if (region is null) where = address < 0x1_0000_0000UL ? "which is no pointer (null or a plain number)" : "which lies in no region";
        else if (off < 0) where = $"{-off} bytes before region {region}";
        else if (off + size > region.Length) where = $"offset {off} of region {region}, past its end";
        else if (write && !region.Writable) where = $"offset {off} of read-only region {region}";
        else if (!write && !region.Readable) where = $"offset {off} of unreadable region {region}";
        else where = $"offset {off} of region {region}, where this access is not allowed";
        return new BpfVmException(VmErrorKind.MemoryViolation, pc, $"memory violation: {access} at 0x{address:x}, {where}", address, region?.Name);
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_table is not null)
        {
            NativeMemory.Free(_table);
            _table = null;
        }
    }
}
