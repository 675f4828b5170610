using System;
using System.Collections.Generic;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Maps;

/// <summary>
/// A map with kernel semantics. Programs reach it through helpers (value pointers into VM
/// memory); C# tests through <see cref="Lookup"/>, <see cref="Update"/>, <see cref="Delete"/> and
/// <see cref="Keys"/> with the byte layouts the bpf(2) syscall uses (per-CPU values: one
/// 8-byte-aligned slot per possible CPU, concatenated).
/// </summary>
public abstract class BpfMap
{
    protected BpfMap(BpfMachine machine, MapSpec spec)
    {
        if (spec.KeySize < 0 || spec.ValueSize < 0 || spec.MaxEntries < 0)
            throw new ArgumentException($"map '{spec.Name}': sizes and max_entries must not be negative");
        Machine = machine;
        Spec = spec;
        Handle = machine.Memory.Add("map:" + spec.Name, RegionKind.Map, 0, writable: false, readable: false, owner: this);
        Fd = machine.RegisterMap(this);
    }

    public BpfMachine Machine { get; }
    public MapSpec Spec { get; }
    public string Name => Spec.Name;
    public BpfMapType Type => Spec.Type;
    public int KeySize => Spec.KeySize;
    public int ValueSize => Spec.ValueSize;
    public int MaxEntries => Spec.MaxEntries;

    /// <summary>The fd programs name this map by (BPF_PSEUDO_MAP_FD).</summary>
    public int Fd { get; }

    /// <summary>The map's own region: its address is the "struct bpf_map *" programs pass to helpers.</summary>
    public MemoryRegion Handle { get; }

    public ulong Address => Handle.Address;

    /// <summary>The kernel's value slot size: value_size rounded up to 8.</summary>
    protected int ElemSize => (ValueSize + 7) & ~7;

    // ---------------------------------------------------------------- program side (helpers)

    /// <summary>bpf_map_lookup_elem: address of the value (this CPU's, for per-CPU maps) or 0.</summary>
    public virtual ulong LookupForProgram(ReadOnlySpan<byte> key) => 0;

    /// <summary>bpf_map_update_elem from a program: 0 or -errno.</summary>
    public virtual long UpdateForProgram(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags) => Update(key, value, flags);

    /// <summary>bpf_map_delete_elem from a program: 0 or -errno.</summary>
    public virtual long DeleteForProgram(ReadOnlySpan<byte> key) => Delete(key);

    /// <summary>For BPF_PSEUDO_MAP_VALUE (global data): the address of the value at <paramref name="offset"/>.</summary>
    public virtual bool TryGetDirectValueAddress(uint offset, out ulong address)
    {
        address = 0;
        return false;
    }

    // ---------------------------------------------------------------- user side (C# tests, syscall semantics)

    /// <summary>The value (all CPUs' for per-CPU maps) or null when the key is absent.</summary>
    public abstract byte[]? Lookup(ReadOnlySpan<byte> key);

    /// <summary>0 or -errno, with the kernel's BPF_ANY/NOEXIST/EXIST rules.</summary>
    public abstract long Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any);

    /// <summary>0 or -errno.</summary>
    public abstract long Delete(ReadOnlySpan<byte> key);

    /// <summary>Keys present, in the map's iteration order.</summary>
    public abstract IEnumerable<byte[]> Keys { get; }

    protected void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize) throw new ArgumentException($"map '{Name}' has {KeySize}-byte keys, not {key.Length}", nameof(key));
    }

    protected int UserValueSize => IsPerCpu ? ElemSize * Machine.PossibleCpus : ValueSize;

    protected void CheckUserValue(ReadOnlySpan<byte> value)
    {
        if (value.Length != UserValueSize)
            throw new ArgumentException($"map '{Name}' takes {UserValueSize}-byte values{(IsPerCpu ? " (one 8-byte-aligned slot per CPU)" : "")}, not {value.Length}", nameof(value));
    }

    public bool IsPerCpu => Type is BpfMapType.PercpuArray or BpfMapType.PercpuHash or BpfMapType.LruPercpuHash;

    protected static bool BadFlags(MapUpdateFlags flags) => (ulong)flags > (ulong)MapUpdateFlags.Lock ||
        (flags & (MapUpdateFlags.NoExist | MapUpdateFlags.Exist)) == (MapUpdateFlags.NoExist | MapUpdateFlags.Exist);

    /// <summary>Creates a map of <paramref name="spec"/>'s type.</summary>
    public static BpfMap Create(BpfMachine machine, MapSpec spec) => spec.Type switch
    {
        BpfMapType.Array or BpfMapType.PercpuArray => new ArrayMap(machine, spec),
        BpfMapType.Hash or BpfMapType.PercpuHash or BpfMapType.LruHash or BpfMapType.LruPercpuHash => new HashMap(machine, spec),
        BpfMapType.ProgArray => new ProgArrayMap(machine, spec),
        BpfMapType.SkStorage => new SkStorageMap(machine, spec),
        BpfMapType.DevmapHash => new DevmapHashMap(machine, spec),
        BpfMapType.Ringbuf => new RingBufMap(machine, spec),
        _ => throw new NotSupportedException($"map '{spec.Name}': type {spec.Type} is not simulated by the VM"),
    };
}
