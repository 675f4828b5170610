using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Vm.Maps;

namespace CSharpBpf.Vm.Host;

/// <summary>
/// A BPF ELF object loaded into a machine: its maps (BTF-defined, legacy and the global-data
/// maps .data/.rodata/.bss, named as their sections), its programs by function name, and its
/// struct_ops maps (member name -&gt; program).
/// </summary>
public sealed class VmObject
{
    internal VmObject() { }

    public Dictionary<string, BpfMap> Maps { get; } = new(StringComparer.Ordinal);

    /// <summary>The object's BTF (for laying out simulated kernel objects with <see cref="Kernel.BtfLayouts.FromBtf"/>).</summary>
    public CSharpBpf.Object.Btf.Btf? Btf { get; internal set; }

    /// <summary>Entry programs by function name.</summary>
    public Dictionary<string, VmProgram> Programs { get; } = new(StringComparer.Ordinal);

    /// <summary>The section each program came from.</summary>
    public Dictionary<string, string> SectionOf { get; } = new(StringComparer.Ordinal);

    /// <summary>struct_ops map name -&gt; (member name -&gt; program), e.g. ["csreno"]["cong_avoid"].</summary>
    public Dictionary<string, Dictionary<string, VmProgram>> StructOps { get; } = new(StringComparer.Ordinal);

    /// <summary>Programs that could not be linked (e.g. they use a map type the VM does not simulate), with the reason.</summary>
    public Dictionary<string, string> LoadErrors { get; } = new(StringComparer.Ordinal);

    public VmProgram Program(string name) => Programs.TryGetValue(name, out var p) ? p
        : LoadErrors.TryGetValue(name, out var why) ? throw new BpfVmException(VmErrorKind.UnresolvedReference, -1, why)
        : throw new KeyNotFoundException($"no program '{name}' (programs: {string.Join(", ", Programs.Keys)})");

    /// <summary>The (first) program of a section, e.g. "xdp" or "struct_ops/cong_avoid".</summary>
    public VmProgram ProgramInSection(string section) =>
        Programs.Where(p => SectionOf[p.Key] == section).Select(p => p.Value).FirstOrDefault()
        ?? throw new KeyNotFoundException($"no program in section '{section}' (sections: {string.Join(", ", SectionOf.Values.Distinct())})");

    public BpfMap Map(string name) => Maps.TryGetValue(name, out var m) ? m
        : throw new KeyNotFoundException($"no map '{name}' (maps: {string.Join(", ", Maps.Keys)})");

    public T Map<T>(string name) where T : BpfMap => Map(name) as T
        ?? throw new InvalidCastException($"map '{name}' is a {Map(name).GetType().Name}, not a {typeof(T).Name}");
}
