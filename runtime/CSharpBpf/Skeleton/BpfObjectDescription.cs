using System;
using System.Collections.Generic;

namespace CSharpBpf;

/// <summary>
/// What the generator knows about a compiled BPF class: the ELF object it produced (eBPF, BTF,
/// BTF.ext, libbpf section names) and its programs and maps. Every BPF class gets a static
/// <c>BpfObject</c> property of this type; the VM and the kernel loader take it to load and run
/// the programs (<c>Load()</c> arrives with them).
/// </summary>
public sealed class BpfObjectDescription
{
    private readonly string _elfBase64;

    public BpfObjectDescription(string name, string elfBase64, IReadOnlyList<BpfProgramDescription> programs, IReadOnlyList<BpfMapDescription> maps)
    {
        Name = name;
        _elfBase64 = elfBase64;
        Programs = programs;
        Maps = maps;
    }

    /// <summary>The class name; also the object's file name (<c>Name.bpf.o</c> in the build output).</summary>
    public string Name { get; }

    /// <summary>A fresh copy of the ELF object's bytes.</summary>
    public byte[] GetElfBytes() => Convert.FromBase64String(_elfBase64);

    public IReadOnlyList<BpfProgramDescription> Programs { get; }

    public IReadOnlyList<BpfMapDescription> Maps { get; }

    public BpfProgramDescription Program(string name)
    {
        foreach (var p in Programs) if (p.Name == name) return p;
        throw new KeyNotFoundException($"{Name} has no program {name}");
    }

    public BpfMapDescription Map(string name)
    {
        foreach (var m in Maps) if (m.Name == name) return m;
        throw new KeyNotFoundException($"{Name} has no map {name}");
    }
}

/// <summary>One program: its function name (the ELF symbol), libbpf section and kind.</summary>
public sealed class BpfProgramDescription
{
    public BpfProgramDescription(string name, string section, string kind, int instructionCount)
    {
        Name = name;
        Section = section;
        Kind = kind;
        InstructionCount = instructionCount;
    }

    public string Name { get; }
    public string Section { get; }
    /// <summary>The program attribute without "Attribute": Xdp, SocketFilter, CgroupSkb, SchedCls.</summary>
    public string Kind { get; }
    public int InstructionCount { get; }
    public override string ToString() => $"{Name} ({Section}, {InstructionCount} insns)";
}

/// <summary>One map: its name in .maps, type, key and value types, capacity and flags.</summary>
public class BpfMapDescription
{
    public BpfMapDescription(string name, string mapType, Type? keyType, Type? valueType, int maxEntries, uint flags)
    {
        Name = name;
        MapType = mapType;
        KeyType = keyType;
        ValueType = valueType;
        MaxEntries = maxEntries;
        Flags = flags;
    }

    public string Name { get; }
    /// <summary>bpf_map_type spelled as CSharpBpf.Compiler names it: Array, Hash, PercpuArray, LruHash, Ringbuf, ProgArray, DevmapHash, …</summary>
    public string MapType { get; }
    public Type? KeyType { get; }
    public Type? ValueType { get; }
    public int MaxEntries { get; }
    public uint Flags { get; }
    public override string ToString() => $"{Name} ({MapType}, {MaxEntries} entries)";
}

/// <summary>A map description with its key and value types as type parameters, for typed access from user space.</summary>
public sealed class BpfMapDescription<TKey, TValue> : BpfMapDescription
    where TKey : unmanaged
    where TValue : unmanaged
{
    public BpfMapDescription(string name, string mapType, int maxEntries, uint flags)
        : base(name, mapType, typeof(TKey), typeof(TValue), maxEntries, flags)
    {
    }
}
