using System;
using System.Collections.Generic;
using System.Linq;

namespace CSharpBpf.Compiler.Ir;

/// <summary>libbpf map types (enum bpf_map_type values the compiler supports by name).</summary>
public enum BpfMapType
{
    Hash = 1,
    Array = 2,
    ProgArray = 3,
    PerfEventArray = 4,
    PercpuHash = 5,
    PercpuArray = 6,
    LruHash = 9,
    LruPercpuHash = 10,
    SkStorage = 24,
    DevmapHash = 25,
    Ringbuf = 27,
}

/// <summary>
/// A BTF-defined map in .maps (libbpf's __uint(type, ...), __type(key, K), __type(value, V),
/// __uint(max_entries, N), __uint(map_flags, F)). Key/value are types when known, else sizes.
/// </summary>
public sealed class MapDefinition
{
    public MapDefinition(string name, BpfMapType type, IrType? key, IrType? value, int maxEntries, uint flags = 0)
    {
        Name = name;
        Type = type;
        Key = key;
        Value = value;
        MaxEntries = maxEntries;
        Flags = flags;
    }

    public string Name { get; }
    public BpfMapType Type { get; }
    public IrType? Key { get; }
    public IrType? Value { get; }
    /// <summary>Used when <see cref="Key"/> is null and the map still has a key (__uint(key_size, N)).</summary>
    public int? KeySize { get; set; }
    public int? ValueSize { get; set; }
    public int MaxEntries { get; }
    public uint Flags { get; }
    /// <summary>LIBBPF_PIN_BY_NAME = 1, or 0.</summary>
    public int Pinning { get; set; }
    public SourceLocation Location { get; set; }
}

public enum GlobalSection
{
    /// <summary>Initialized mutable data.</summary>
    Data,
    /// <summary>Constants (const and static readonly): frozen by the loader.</summary>
    Rodata,
    /// <summary>Zero-initialized mutable data.</summary>
    Bss,
}

/// <summary>A global variable in .data/.rodata/.bss (a VAR in that section's DATASEC in BTF).</summary>
public sealed class GlobalVariable
{
    public GlobalVariable(string name, IrType type, GlobalSection section, byte[]? initialValue = null)
    {
        if (initialValue is not null && initialValue.Length != type.Size)
            throw new ArgumentException($"global {name}: initial value has {initialValue.Length} bytes, its type {type} has {type.Size}", nameof(initialValue));
        Name = name;
        Type = type;
        Section = section;
        InitialValue = initialValue;
    }

    public string Name { get; }
    public IrType Type { get; }
    public GlobalSection Section { get; }
    public byte[]? InitialValue { get; }
    public SourceLocation Location { get; set; }

    public string SectionName => Section switch
    {
        GlobalSection.Data => ".data",
        GlobalSection.Rodata => ".rodata",
        _ => ".bss",
    };
}

/// <summary>One compilation unit: what becomes one ELF object.</summary>
public sealed class IrModule
{
    public IrModule(string name) => Name = name;

    public string Name { get; }
    public string License { get; set; } = "GPL";
    public List<IrFunction> Functions { get; } = new();
    public List<MapDefinition> Maps { get; } = new();
    public List<GlobalVariable> Globals { get; } = new();
    public List<StructOpsVariable> StructOps { get; } = new();

    /// <summary>Source text per file (as named in <see cref="SourceLocation.File"/>): line_info carries the line's text.</summary>
    public Dictionary<string, string> SourceTexts { get; } = new();

    public IrFunction AddFunction(string name, FunctionKind kind, IrType returnType, string? section = null)
    {
        if (Functions.Any(f => f.Name == name)) throw new ArgumentException($"function {name} is already defined", nameof(name));
        var f = new IrFunction(name, kind, returnType) { SectionName = section };
        Functions.Add(f);
        return f;
    }

    public IrFunction AddProgram(string name, string section, IrType returnType) => AddFunction(name, FunctionKind.Program, returnType, section);

    /// <summary>Declares (once) a helper; parameters are for BTF and the validator's argument count.</summary>
    public IrFunction Helper(string name, int id, IrType returnType, params IrType[] parameters)
    {
        var existing = Functions.Find(f => f.Kind == FunctionKind.Helper && f.HelperId == id);
        if (existing is not null) return existing;
        var f = AddFunction(name, FunctionKind.Helper, returnType);
        f.HelperId = id;
        for (int i = 0; i < parameters.Length; i++) f.AddParam("arg" + (i + 1), parameters[i]);
        return f;
    }

    public IrFunction Kfunc(string name, IrType returnType, params FuncParam[] parameters)
    {
        var existing = Functions.Find(f => f.Kind == FunctionKind.Kfunc && f.Name == name);
        if (existing is not null) return existing;
        var f = AddFunction(name, FunctionKind.Kfunc, returnType);
        foreach (var p in parameters) f.AddParam(p.Name, p.Type);
        return f;
    }

    public MapDefinition AddMap(MapDefinition map)
    {
        Maps.Add(map);
        return map;
    }

    public GlobalVariable AddGlobal(GlobalVariable global)
    {
        Globals.Add(global);
        return global;
    }

    /// <summary>Functions with bodies, in declaration order.</summary>
    public IEnumerable<IrFunction> Definitions => Functions.Where(f => f.HasBody);
}
