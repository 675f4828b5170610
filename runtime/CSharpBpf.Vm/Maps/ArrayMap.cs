using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Maps;

/// <summary>
/// BPF_MAP_TYPE_ARRAY and PERCPU_ARRAY: u32 keys 0..max_entries-1, every element always exists
/// (zeroed at creation), update with BPF_NOEXIST fails with -EEXIST, delete with -EINVAL,
/// out-of-range keys give NULL / -E2BIG. Values are 8-byte-aligned slots of one region; per-CPU
/// arrays hold one slot per possible CPU and programs see the current CPU's.
/// </summary>
public sealed class ArrayMap : BpfMap
{
    private readonly int _cpus;

    public ArrayMap(BpfMachine machine, MapSpec spec) : base(machine, spec)
    {
        if (spec.KeySize != 4) throw new ArgumentException($"array map '{spec.Name}' needs 4-byte keys, not {spec.KeySize}");
        if (spec.ValueSize <= 0 || spec.MaxEntries <= 0) throw new ArgumentException($"array map '{spec.Name}' needs value_size and max_entries above 0");
        _cpus = IsPerCpu ? machine.PossibleCpus : 1;
        long bytes = (long)ElemSize * _cpus * spec.MaxEntries;
        if (bytes > 256L << 20) throw new ArgumentException($"array map '{spec.Name}' would need {bytes} bytes; the VM caps a map at 256 MiB");
        bool writable = (spec.Flags & MapSpec.ReadOnlyProg) == 0;
        Values = machine.Memory.Add("map-values:" + spec.Name, RegionKind.MapValue, (int)bytes, writable: writable, owner: this);
    }

    /// <summary>The values' region (for tests that want to look at raw memory).</summary>
    public MemoryRegion Values { get; }

    private int OffsetOf(uint index, int cpu) => (int)((index * _cpus + cpu) * ElemSize);

    public override ulong LookupForProgram(ReadOnlySpan<byte> key)
    {
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= (uint)MaxEntries) return 0;
        return Values.AddressOf(OffsetOf(index, IsPerCpu ? Machine.CurrentCpu % _cpus : 0));
    }

    public override long UpdateForProgram(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags)
    {
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        var check = CheckUpdate(index, flags);
        if (check != 0) return check;
        value.Slice(0, ValueSize).CopyTo(Values.Span.Slice(OffsetOf(index, IsPerCpu ? Machine.CurrentCpu % _cpus : 0)));
        return 0;
    }

    public override bool TryGetDirectValueAddress(uint offset, out ulong address)
    {
        // The kernel's array_map_direct_value_addr: only single-element arrays, offset inside the value.
        address = 0;
        if (MaxEntries != 1 || IsPerCpu || offset >= (uint)ValueSize) return false;
        address = Values.AddressOf(offset);
        return true;
    }

    public override byte[]? Lookup(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= (uint)MaxEntries) return null;
        if (!IsPerCpu) return Values.Span.Slice(OffsetOf(index, 0), ValueSize).ToArray();
        return Values.Span.Slice(OffsetOf(index, 0), ElemSize * _cpus).ToArray();
    }

    private long CheckUpdate(uint index, MapUpdateFlags flags)
    {
        if (BadFlags(flags)) return -Errno.EINVAL;
        if (index >= (uint)MaxEntries) return -Errno.E2BIG;
        if ((flags & MapUpdateFlags.NoExist) != 0) return -Errno.EEXIST; // every element of an array exists
        return 0;
    }

    public override long Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        CheckKey(key);
        CheckUserValue(value);
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        var check = CheckUpdate(index, flags);
        if (check != 0) return check;
        if (!IsPerCpu) value.CopyTo(Values.Span.Slice(OffsetOf(index, 0)));
        else value.CopyTo(Values.Span.Slice(OffsetOf(index, 0), ElemSize * _cpus));
        return 0;
    }

    public override long Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        return -Errno.EINVAL;
    }

    public override IEnumerable<byte[]> Keys
    {
        get
        {
            for (uint i = 0; i < (uint)MaxEntries; i++)
            {
                var k = new byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(k, i);
                yield return k;
            }
        }
    }

    // ---------------------------------------------------------------- typed conveniences for tests

    public byte[] Get(uint index, int cpu = 0) => Values.Span.Slice(OffsetOf(Check(index), cpu), ValueSize).ToArray();

    public ulong GetUInt64(uint index, int cpu = 0) => BinaryPrimitives.ReadUInt64LittleEndian(Values.Span.Slice(OffsetOf(Check(index), cpu)));

    public uint GetUInt32(uint index, int cpu = 0) => BinaryPrimitives.ReadUInt32LittleEndian(Values.Span.Slice(OffsetOf(Check(index), cpu)));

    public void Set(uint index, ReadOnlySpan<byte> value, int cpu = 0) => value.CopyTo(Values.Span.Slice(OffsetOf(Check(index), cpu), ValueSize));

    public void SetUInt64(uint index, ulong value, int cpu = 0) => BinaryPrimitives.WriteUInt64LittleEndian(Values.Span.Slice(OffsetOf(Check(index), cpu)), value);

    private uint Check(uint index) => index < (uint)MaxEntries ? index : throw new ArgumentOutOfRangeException(nameof(index), index, $"map '{Name}' has {MaxEntries} entries");
}
