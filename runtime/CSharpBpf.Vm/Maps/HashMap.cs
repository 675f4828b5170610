using System;
using System.Collections.Generic;
using System.Linq;

namespace CSharpBpf.Vm.Maps;

/// <summary>
/// BPF_MAP_TYPE_HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH. Update follows the kernel:
/// BPF_NOEXIST on a present key gives -EEXIST, BPF_EXIST on an absent key -ENOENT, a new key in a
/// full map -E2BIG, except in LRU maps, which evict the least recently used element instead
/// (lookups and updates count as use). Delete of an absent key gives -ENOENT.
/// </summary>
public sealed class HashMap : BpfMap
{
    private readonly Dictionary<byte[], LinkedListNode<Entry>> _entries = new(ByteKeyComparer.Instance);
    private readonly LinkedList<Entry> _order = new(); // most recently used last
    private readonly ValueSlab _slab;
    private readonly int _cpus;

    private sealed record Entry(byte[] Key, int Slot);

    public HashMap(BpfMachine machine, MapSpec spec) : base(machine, spec)
    {
        if (spec.KeySize <= 0 || spec.ValueSize <= 0 || spec.MaxEntries <= 0)
            throw new ArgumentException($"hash map '{spec.Name}' needs key_size, value_size and max_entries above 0");
        _cpus = IsPerCpu ? machine.PossibleCpus : 1;
        _slab = new ValueSlab(machine.Memory, "map-values:" + spec.Name, ElemSize * _cpus, spec.MaxEntries, this,
            writable: (spec.Flags & MapSpec.ReadOnlyProg) == 0);
    }

    public bool IsLru => Type is BpfMapType.LruHash or BpfMapType.LruPercpuHash;

    public int Count => _entries.Count;

    private int CpuOffset => IsPerCpu ? (Machine.CurrentCpu % _cpus) * ElemSize : 0;

    private void Touch(LinkedListNode<Entry> node)
    {
        if (!IsLru) return;
        _order.Remove(node);
        _order.AddLast(node);
    }

    public override ulong LookupForProgram(ReadOnlySpan<byte> key)
    {
        if (!_entries.TryGetValue(key.ToArray(), out var node)) return 0;
        Touch(node);
        return _slab.AddressOf(node.Value.Slot, CpuOffset);
    }

    public override long UpdateForProgram(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags)
    {
        var copy = value.Slice(0, ValueSize).ToArray();
        // A program writes this CPU's copy; a new per-CPU element starts with the others zeroed.
        return UpdateCore(key.ToArray(), (slot, fresh) => copy.CopyTo(_slab.Span(slot).Slice(CpuOffset)), flags);
    }

    private delegate void Fill(int slot, bool fresh);

    private long UpdateCore(byte[] key, Fill fill, MapUpdateFlags flags)
    {
        if (BadFlags(flags)) return -Errno.EINVAL;
        bool exists = _entries.TryGetValue(key, out var node);
        if (exists && (flags & MapUpdateFlags.NoExist) != 0) return -Errno.EEXIST;
        if (!exists && (flags & MapUpdateFlags.Exist) != 0) return -Errno.ENOENT;
        if (exists)
        {
            fill(node!.Value.Slot, false);
            Touch(node);
            return 0;
        }
        int slot = _slab.Allocate();
        if (slot < 0)
        {
            if (!IsLru) return -Errno.E2BIG;
            var victim = _order.First!;
            _order.RemoveFirst();
            _entries.Remove(victim.Value.Key);
            _slab.Free(victim.Value.Slot);
            slot = _slab.Allocate();
        }
        fill(slot, true);
        _entries[key] = _order.AddLast(new Entry(key, slot));
        return 0;
    }

    public override byte[]? Lookup(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        if (!_entries.TryGetValue(key.ToArray(), out var node)) return null;
        var span = _slab.Span(node.Value.Slot);
        return IsPerCpu ? span.Slice(0, ElemSize * _cpus).ToArray() : span.Slice(0, ValueSize).ToArray();
    }

    public override long Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        CheckKey(key);
        CheckUserValue(value);
        var copy = value.ToArray();
        return UpdateCore(key.ToArray(), (slot, fresh) => copy.CopyTo(_slab.Span(slot)), flags);
    }

    public override long Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        return DeleteForProgram(key);
    }

    public override long DeleteForProgram(ReadOnlySpan<byte> key)
    {
        if (!_entries.Remove(key.ToArray(), out var node)) return -Errno.ENOENT;
        _order.Remove(node);
        _slab.Free(node.Value.Slot);
        return 0;
    }

    public override IEnumerable<byte[]> Keys => _order.Select(e => e.Key).ToList();
}
