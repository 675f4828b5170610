using System;
using System.Collections.Generic;
using CSharpBpf.Linux.Maps;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Linux.Loader;

/// <summary>
/// An object file parsed for loading (libbpf's "open" phase): programs, subprograms, maps and
/// global data, with BTF and BTF.ext. Global variables can be changed before <see cref="BpfObject.Load"/>.
/// </summary>
public sealed class ObjectSpec
{
    internal ObjectSpec(string name, ElfFile elf, Btf? btf, BtfExt? btfExt, string license)
    {
        Name = name;
        Elf = elf;
        Btf = btf;
        BtfExt = btfExt;
        License = license;
    }

    public string Name { get; }
    public ElfFile Elf { get; }
    public Btf? Btf { get; }
    public BtfExt? BtfExt { get; }
    public string License { get; }
    public List<FunctionSpec> Programs { get; } = new();
    /// <summary>Functions in .text (and other non-program code): appended to each program that calls them.</summary>
    public List<FunctionSpec> Subprograms { get; } = new();
    public List<MapDefinition> Maps { get; } = new();
    public List<StructOpsDefinition> StructOps { get; } = new();
    /// <summary>Extern symbols (.ksyms / .kconfig) by ELF symbol index.</summary>
    public Dictionary<int, ExternSymbol> Externs { get; } = new();

    public static ObjectSpec Read(string path) => ObjectSpecReader.Read(System.IO.File.ReadAllBytes(path), System.IO.Path.GetFileNameWithoutExtension(path));

    public static ObjectSpec Read(byte[] bytes, string name) => ObjectSpecReader.Read(bytes, name);

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
    public FunctionSpec(string name, ElfSection section, int startInsn, Instruction[] instructions, SectionKind? kind)
    {
        Name = name;
        Section = section;
        StartInsn = startInsn;
        Instructions = instructions;
        Kind = kind;
    }

    public string Name { get; }
    public ElfSection Section { get; }
    /// <summary>Index of the first instruction within its section.</summary>
    public int StartInsn { get; }
    public Instruction[] Instructions { get; }
    public SectionKind? Kind { get; }
    public string SectionName => Section.Name;
    public bool Contains(int sectionIndex, int insn) => sectionIndex == Section.Index && insn >= StartInsn && insn < StartInsn + Instructions.Length;
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
    /// <summary>Section index the map lives in (.maps for BTF maps, the data section for globals).</summary>
    public int SectionIndex { get; set; }
    /// <summary>For .maps: byte offset of the map's VAR in .maps; for globals: 0.</summary>
    public int SectionOffset { get; set; }
    public int SectionSize { get; set; }
    public byte[]? InitialData { get; set; }
    public Dictionary<string, GlobalVariable> GlobalVariables { get; } = new();
    /// <summary>prog_array / map-in-map initial slots from relocations in .maps: slot → ELF symbol.</summary>
    public Dictionary<int, ElfSymbol> InitialSlots { get; } = new();
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
