using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using CSharpBpf.Linux.Maps;

namespace CSharpBpf.Linux.Skeleton;

/// <summary>
/// A kernel map seen through its C# key and value types: what the generated skeleton's kernel
/// <c>Maps.&lt;Field&gt;</c> returns for array and hash maps (per-CPU ones too). Every access is one bpf(2)
/// call on the live map, so it reads what the programs wrote a moment ago. The sizes are checked once, here.
/// </summary>
public sealed class KernelMap<TKey, TValue>
    where TKey : unmanaged
    where TValue : unmanaged
{
    public KernelMap(BpfMap map)
    {
        Map = map ?? throw new ArgumentNullException(nameof(map));
        if (Unsafe.SizeOf<TKey>() != map.KeySize)
            throw new ArgumentException($"map '{map.Name}' has {map.KeySize}-byte keys; {typeof(TKey).Name} is {Unsafe.SizeOf<TKey>()} bytes");
        if (Unsafe.SizeOf<TValue>() != map.ValueSize)
            throw new ArgumentException($"map '{map.Name}' has {map.ValueSize}-byte values; {typeof(TValue).Name} is {Unsafe.SizeOf<TValue>()} bytes");
    }

    /// <summary>The untyped map (fd, byte API, pinning).</summary>
    public BpfMap Map { get; }

    public string Name => Map.Name;

    public uint MaxEntries => Map.MaxEntries;

    public bool IsPerCpu => Map.Type.IsPerCpu();

    /// <summary>The value for <paramref name="key"/>; false when absent. Per-CPU maps: use <see cref="LookupPerCpu"/>.</summary>
    public bool TryLookup(TKey key, out TValue value)
    {
        if (IsPerCpu) throw new InvalidOperationException($"map '{Name}' ({Map.Type.KernelName()}) is per-CPU: use LookupPerCpu");
        return Map.TryLookup(key, out value);
    }

    /// <summary>The value, or default when the key is absent.</summary>
    public TValue GetValueOrDefault(TKey key) => TryLookup(key, out var v) ? v : default;

    /// <summary>Reads like a dictionary (absent key: <see cref="KeyNotFoundException"/>); writes with BPF_ANY.</summary>
    public TValue this[TKey key]
    {
        get => TryLookup(key, out var v) ? v : throw new KeyNotFoundException($"map '{Name}' has no key {key}");
        set => Update(key, value);
    }

    /// <summary>Every possible CPU's value, or null when the key is absent.</summary>
    public TValue[]? LookupPerCpu(TKey key) => Map.LookupPerCpu<TKey, TValue>(key);

    /// <summary>Writes <paramref name="value"/> (to every CPU's slot, for per-CPU maps); kernel refusals throw <see cref="BpfSyscallException"/>.</summary>
    public void Update(TKey key, TValue value, BpfUpdateFlags flags = BpfUpdateFlags.Any)
    {
        if (!IsPerCpu)
        {
            Map.Update(key, value, flags);
            return;
        }
        int stride = (int)((Map.ValueSize + 7) & ~7u);
        var bytes = new byte[Map.UserValueSize];
        var one = BpfMap.ToBytes(value);
        for (int at = 0; at < bytes.Length; at += stride) one.CopyTo(bytes, at);
        Map.Update(BpfMap.ToBytes(key), bytes, flags);
    }

    /// <summary>True when the key was there.</summary>
    public bool Delete(TKey key) => Map.Delete(BpfMap.ToBytes(key));

    /// <summary>The keys present, in the kernel's iteration order.</summary>
    public IEnumerable<TKey> Keys
    {
        get
        {
            foreach (var k in Map.Keys()) yield return System.Runtime.InteropServices.MemoryMarshal.Read<TKey>(k);
        }
    }
}
