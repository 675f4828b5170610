using System;
using System.Collections.Generic;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Elf;

namespace CSharpBpf.Object.Objects;

/// <summary>
/// A BPF object (the .o clang emits, or the one our compiler builds): program sections with
/// instructions and resolved relocations, maps (BTF-defined or legacy), global data, struct_ops
/// variables, externs, license, kernel version, .BTF and .BTF.ext.
/// Read one with <see cref="Read"/>; build one by filling the lists and call <see cref="ToBytes"/>.
/// </summary>
public sealed class BpfObjectFile
{
    public bool IsBigEndian { get; set; }
    /// <summary>The "license" section's string (e.g. "GPL"), or null when absent.</summary>
    public string? License { get; set; }
    /// <summary>The "version" section's u32 (LINUX_VERSION_CODE), or null when absent.</summary>
    public uint? KernelVersion { get; set; }
    public List<BpfProgramSection> ProgramSections { get; } = new();
    public List<BpfMapDefinition> Maps { get; } = new();
    public List<BpfDataSection> DataSections { get; } = new();
    public List<BpfStructOpsMap> StructOps { get; } = new();
    public List<BpfExtern> Externs { get; } = new();
    public Btf.Btf? Btf { get; set; }
    public BtfExt? BtfExt { get; set; }
    /// <summary>The ELF this model was read from (null for a model built in memory).</summary>
    public ElfFile? Elf { get; internal set; }

    /// <summary>Program entry points: functions in executable sections other than ".text".</summary>
    public IEnumerable<BpfFunction> Programs
    {
        get
        {
            foreach (var s in ProgramSections)
                foreach (var f in s.Functions)
                    if (f.IsEntryPoint) yield return f;
        }
    }

    public BpfProgramSection? FindProgramSection(string name) => ProgramSections.Find(s => s.Name == name);

    public BpfMapDefinition? FindMap(string name) => Maps.Find(m => m.Name == name);

    public BpfDataSection? FindDataSection(string name) => DataSections.Find(s => s.Name == name);

    /// <summary>The function with that name in any program section, or null.</summary>
    public BpfFunction? FindFunction(string name)
    {
        foreach (var s in ProgramSections)
            foreach (var f in s.Functions)
                if (f.Name == name) return f;
        return null;
    }

    /// <summary>Parses an ELF BPF object; malformed input raises <see cref="BpfFormatException"/>.</summary>
    public static BpfObjectFile Read(byte[] bytes) => BpfObjectReader.Read(bytes);

    /// <summary>Writes this model as an ELF relocatable object in clang's shape.</summary>
    public byte[] ToBytes() => BpfObjectWriter.Write(this);
}
