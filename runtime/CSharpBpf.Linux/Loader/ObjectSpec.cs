using System;
using System.Collections.Generic;
using CSharpBpf.Linux.Maps;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;

namespace CSharpBpf.Linux.Loader;

/// <summary>
/// An object file prepared for loading (libbpf's "open" phase): programs, subprograms, maps and
/// global data, with BTF and BTF.ext. Built from CSharpBpf.Object's <see cref="BpfObjectFile"/>
/// (which does all ELF, section and relocation reading). Global variables can be changed before
/// <see cref="BpfObject.Load"/>.
/// </summary>
public sealed class ObjectSpec
{
    internal ObjectSpec(string name, BpfObjectFile file)
    {
        Name = name;
        ObjectFile = file;
        License = file.License ?? "";
    }

    public string Name { get; }
    /// <summary>The object model this spec was built from; its BTF has libbpf's load-time fix-ups applied.</summary>
    public BpfObjectFile ObjectFile { get; }
    public Btf? Btf => ObjectFile.Btf;
    public BtfExt? BtfExt => ObjectFile.BtfExt;
    public string License { get; }
    public List<FunctionSpec> Programs { get; } = new();
    /// <summary>Functions in .text (and other non-program code): appended to each program that calls them.</summary>
    public List<FunctionSpec> Subprograms { get; } = new();
    public List<MapDefinition> Maps { get; } = new();
    public List<StructOpsDefinition> StructOps { get; } = new();
    /// <summary>Extern symbols (.ksyms / .kconfig) by name.</summary>
    public Dictionary<string, ExternSymbol> Externs { get; } = new(StringComparer.Ordinal);

    public static ObjectSpec Read(string path) => Read(System.IO.File.ReadAllBytes(path), System.IO.Path.GetFileNameWithoutExtension(path));

    /// <summary>Reads an ELF BPF object (as clang or CSharpBpf's compiler emits it); malformed input raises BpfFormatException.</summary>
    public static ObjectSpec Read(byte[] bytes, string name) => ObjectSpecBuilder.Build(BpfObjectFile.Read(bytes), name);

    /// <summary>
    /// Prepares an object model for loading. The spec takes <paramref name="file"/> over: its BTF gets
    /// libbpf's fix-ups (DATASEC sizes and offsets, .ksyms entries) in place.
    /// </summary>
    public static ObjectSpec FromObject(BpfObjectFile file, string name) => ObjectSpecBuilder.Build(file, name);

    public FunctionSpec Program(string name) => Programs.Find(p => p.Name == name)
        ?? throw new KeyNotFoundException($"object '{Name}' has no program '{name}' (has: {string.Join(", ", Programs.ConvertAll(p => p.Name))})");

    public MapDefinition Map(string name) => Maps.Find(m => m.Name == name)
        ?? throw new KeyNotFoundException($"object '{Name}' has no map '{name}'");

    /// <summary>Sets a global variable (in .data/.rodata/.bss) before loading, by name, from raw bytes.</summary>
    public void SetGlobal(string variable, byte[] value)
    {
        foreach (var m in Maps)
        {
            if (m.GlobalVariables.TryGetValue(variable, out var v))
            {
                if (value.Length != v.Size) throw new ArgumentException($"global '{variable}' is {v.Size} bytes, value has {value.Length}");
                Array.Copy(value, 0, m.InitialData!, v.Offset, value.Length);
                return;
            }
        }
        throw new KeyNotFoundException($"object '{Name}' has no global variable '{variable}'");
    }

    public unsafe void SetGlobal<T>(string variable, T value) where T : unmanaged => SetGlobal(variable, BpfMap.ToBytes(value));
}

/// <summary>One function of the object: an entry program (in a program section) or a subprogram.</summary>
public sealed class FunctionSpec
{
    private static readonly IReadOnlyDictionary<int, BpfInstructionRelocation> NoRelocations = new Dictionary<int, BpfInstructionRelocation>();

    public FunctionSpec(string name, string sectionName, int startInsn, Instruction[] instructions, SectionKind? kind,
        IReadOnlyDictionary<int, BpfInstructionRelocation>? relocations = null)
    {
        Name = name;
        SectionName = sectionName;
        StartInsn = startInsn;
        Instructions = instructions;
        Kind = kind;
        Relocations = relocations ?? NoRelocations;
    }

    public string Name { get; }
    public string SectionName { get; }
    /// <summary>Index of the first instruction slot within its section.</summary>
    public int StartInsn { get; }
    public Instruction[] Instructions { get; }
    public SectionKind? Kind { get; }
    /// <summary>This function's relocations (as BpfObjectFile resolved them), by instruction slot within the section.</summary>
    public IReadOnlyDictionary<int, BpfInstructionRelocation> Relocations { get; }
    public bool Contains(string sectionName, int insn) => sectionName == SectionName && insn >= StartInsn && insn < StartInsn + Instructions.Length;
    public override string ToString() => $"{Name} ({SectionName} @{StartInsn}, {Instructions.Length} insns)";
}

public enum MapKind { User, Data, Rodata, Bss, Kconfig, StructOps }

public enum PinningMode { None = 0, ByName = 1 }

/// <summary>A global variable of a data section.</summary>
public sealed record GlobalVariable(string Name, int Offset, int Size);

/// <summary>A map the object defines: BTF-defined (.maps), global data, or struct_ops.</summary>
public sealed class MapDefinition
{
    public string Name { get; set; } = "";
    public MapKind Kind { get; set; }
    public BpfMapSpec Spec { get; set; } = new();
    public PinningMode Pinning { get; set; }
    /// <summary>Section the map lives in (.maps for BTF maps, the data section for globals, .struct_ops[.link]).</summary>
    public string SectionName { get; set; } = "";
    /// <summary>For .maps: byte offset of the map's VAR in .maps; for globals: 0.</summary>
    public int SectionOffset { get; set; }
    public int SectionSize { get; set; }
    public byte[]? InitialData { get; set; }
    public Dictionary<string, GlobalVariable> GlobalVariables { get; } = new();
    /// <summary>prog_array / map-in-map initial slots from relocations in .maps: slot → program or map name.</summary>
    public Dictionary<int, string> InitialSlots { get; } = new();
    /// <summary>Inner map template for array/hash of maps.</summary>
    public MapDefinition? InnerMap { get; set; }
    /// <summary>BTF type ids of key/value in the object's BTF (0 = none).</summary>
    public uint BtfKeyTypeId { get; set; }
    public uint BtfValueTypeId { get; set; }
    public override string ToString() => $"map '{Name}' ({Spec.Type.KernelName()}, {Kind})";
}

/// <summary>A struct_ops variable: kernel type name, its local BTF struct, data bytes and the programs at members.</summary>
public sealed class StructOpsDefinition
{
    public StructOpsDefinition(string name, string typeName, BtfStruct localType, byte[] data, bool viaLink, MapDefinition map)
    {
        Name = name;
        TypeName = typeName;
        LocalType = localType;
        Data = data;
        ViaLink = viaLink;
        Map = map;
    }

    public string Name { get; }
    /// <summary>The ops struct name, e.g. "tcp_congestion_ops" (flavor suffix stripped).</summary>
    public string TypeName { get; }
    public BtfStruct LocalType { get; }
    public byte[] Data { get; }
    public bool ViaLink { get; }
    public MapDefinition Map { get; }
    /// <summary>Local member name → program function name.</summary>
    public Dictionary<string, string> Programs { get; } = new();
}

/// <summary>An extern in .ksyms (kfunc or kernel variable) or .kconfig.</summary>
public sealed record ExternSymbol(string Name, bool IsFunction, bool IsKconfig, uint LocalBtfId, bool IsWeak);
