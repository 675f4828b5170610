using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CSharpBpf.Vm.Maps;

namespace CSharpBpf.Vm.Host;

/// <summary>
/// A VM map seen through its C# key and value types: what the generated skeleton's <c>Maps.&lt;Field&gt;</c>
/// returns for array and hash maps (per-CPU ones too). Reads and writes go through the map's syscall-shaped
/// byte API (<see cref="BpfMap.Lookup"/>, <see cref="BpfMap.Update"/>), so they see and change exactly what the
/// programs see. The sizes are checked once, here, so a C# type that does not match the map fails at the accessor
/// with the map's name instead of reading garbage.
/// </summary>
public sealed class VmMap<TKey, TValue>
    where TKey : unmanaged
    where TValue : unmanaged
{
    public VmMap(BpfMap map)
    {
        Map = map ?? throw new ArgumentNullException(nameof(map));
        if (Unsafe.SizeOf<TKey>() != map.KeySize)
            throw new ArgumentException($"map '{map.Name}' has {map.KeySize}-byte keys; {typeof(TKey).Name} is {Unsafe.SizeOf<TKey>()} bytes");
        if (Unsafe.SizeOf<TValue>() != map.ValueSize)
            throw new ArgumentException($"map '{map.Name}' has {map.ValueSize}-byte values; {typeof(TValue).Name} is {Unsafe.SizeOf<TValue>()} bytes");
    }

    /// <summary>The untyped map (byte layouts of the bpf(2) syscall).</summary>
    public BpfMap Map { get; }

    public string Name => Map.Name;

    public int MaxEntries => Map.MaxEntries;

    public bool IsPerCpu => Map.IsPerCpu;

    /// <summary>The value for <paramref name="key"/>; false when absent. Per-CPU maps: use <see cref="LookupPerCpu"/>.</summary>
    public bool TryLookup(TKey key, out TValue value)
    {
        RequireShared();
        var bytes = Map.Lookup(Bytes(key));
        value = bytes is null ? default : MemoryMarshal.Read<TValue>(bytes);
        return bytes is not null;
    }

    /// <summary>The value, or default when the key is absent (an array slot is never absent: it starts zeroed).</summary>
    public TValue GetValueOrDefault(TKey key) => TryLookup(key, out var v) ? v : default;

    /// <summary>Reads like a dictionary (absent key: <see cref="KeyNotFoundException"/>); writes with BPF_ANY.</summary>
    public TValue this[TKey key]
    {
        get => TryLookup(key, out var v) ? v : throw new KeyNotFoundException($"map '{Name}' has no key {key}");
        set => Update(key, value);
    }

    /// <summary>Every CPU's value (one per <see cref="BpfMachine.PossibleCpus"/>), or null when the key is absent.</summary>
    public TValue[]? LookupPerCpu(TKey key)
    {
        if (!IsPerCpu) throw new InvalidOperationException($"map '{Name}' ({Map.Type}) is not per-CPU: use TryLookup");
        var bytes = Map.Lookup(Bytes(key));
        if (bytes is null) return null;
        int stride = (Map.ValueSize + 7) & ~7;
        var values = new TValue[bytes.Length / stride];
        for (int i = 0; i < values.Length; i++) values[i] = MemoryMarshal.Read<TValue>(bytes.AsSpan(i * stride));
        return values;
    }

    /// <summary>Writes <paramref name="value"/> (to every CPU's slot, for per-CPU maps). Kernel errors (-E2BIG, -EEXIST…) throw.</summary>
    public void Update(TKey key, TValue value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        byte[] bytes;
        if (IsPerCpu)
        {
            int stride = (Map.ValueSize + 7) & ~7;
            bytes = new byte[stride * Map.Machine.PossibleCpus];
            for (int cpu = 0; cpu < Map.Machine.PossibleCpus; cpu++) MemoryMarshal.Write(bytes.AsSpan(cpu * stride), in value);
        }
        else bytes = Bytes(value);
        long r = Map.Update(Bytes(key), bytes, flags);
        if (r < 0) throw new InvalidOperationException($"update of map '{Name}' failed with errno {-r} (flags {flags})");
    }

    /// <summary>True when the key was there (array maps refuse deletion: false).</summary>
    public bool Delete(TKey key) => Map.Delete(Bytes(key)) == 0;

    /// <summary>The keys present, in the map's iteration order.</summary>
    public IEnumerable<TKey> Keys
    {
        get
        {
            foreach (var k in Map.Keys) yield return MemoryMarshal.Read<TKey>(k);
        }
    }

    private void RequireShared()
    {
        if (IsPerCpu) throw new InvalidOperationException($"map '{Name}' ({Map.Type}) is per-CPU: use LookupPerCpu");
    }

    private static byte[] Bytes<T>(T v) where T : unmanaged
    {
        var b = new byte[Unsafe.SizeOf<T>()];
        MemoryMarshal.Write(b, in v);
        return b;
    }
}
