using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Isa;
using CSharpBpf.Vm.Execution;
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

    /// <summary>Per program: the global (.text) functions linked into it and their instruction index in its code.</summary>
    public Dictionary<string, Dictionary<string, int>> GlobalFunctionsOf { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// What the kernel's freplace does: every call of global function <paramref name="globalFunctionName"/> in
    /// program <paramref name="programName"/> now goes to <paramref name="extension"/> (a freplace program loaded
    /// into the same machine). The program is relinked (the extension's code appended, the calls and function
    /// addresses that targeted the old body redirected) and the new program replaces the old one in
    /// <see cref="Programs"/>, which is returned. The old body stays as dead code, as the kernel keeps it.
    /// Whoever still holds the old <see cref="VmProgram"/> (a variable, a prog-array slot) keeps running the old code.
    /// </summary>
    public VmProgram ReplaceFunction(string programName, string globalFunctionName, VmProgram extension)
    {
        if (extension is null) throw new ArgumentNullException(nameof(extension));
        var target = Program(programName);
        if (extension.Type != ProgramType.Extension)
            throw new ArgumentException($"program '{extension.Name}' is a {extension.Type} program; only an Extension (freplace) program can replace a function", nameof(extension));
        if (!ReferenceEquals(extension.Machine, target.Machine))
            throw new ArgumentException($"extension '{extension.Name}' was loaded into another machine than '{programName}'", nameof(extension));
        if (!GlobalFunctionsOf.TryGetValue(programName, out var functions) || !functions.TryGetValue(globalFunctionName, out int entry))
            throw new KeyNotFoundException($"program '{programName}' calls no global function '{globalFunctionName}'" +
                (functions is null ? "" : $" (global functions: {string.Join(", ", functions.Keys)})"));

        var code = new List<Instruction>(target.Instructions);
        int extensionBase = code.Count;
        int redirected = 0;
        for (int at = 0; at < extensionBase; at++)
        {
            var insn = code[at];
            bool subprogramCall = insn.IsCall && insn.Src == (byte)CallKind.Local;
            bool functionAddress = insn.IsWideLoad && insn.Src == (byte)PseudoSource.Func;
            if ((subprogramCall || functionAddress) && at + 1 + insn.Imm == entry)
            {
                code[at] = insn.WithImm(extensionBase - (at + 1));
                redirected++;
            }
            if (insn.IsWideLoad) at++; // the second slot is data, never an instruction
        }
        if (redirected == 0)
            throw new KeyNotFoundException($"program '{programName}' links global function '{globalFunctionName}' but never calls it");
        // The extension's own calls and function addresses are pc-relative within its code, so it moves as a block.
        code.AddRange(extension.Instructions);

        var refs = new ProgramReferences();
        foreach (var source in new[] { target.References, extension.References })
        {
            foreach (var m in source.MapsByFd) refs.MapsByFd[m.Key] = m.Value;
            foreach (var k in source.KsymsByBtfId) refs.KsymsByBtfId[k.Key] = k.Value;
        }
        // fd_array indexes are the target's; an extension indexing its own fd_array is not relinkable here.
        refs.MapsByIndex.AddRange(target.References.MapsByIndex);

        var replaced = target.Machine.Load(code, target.Type, refs, target.Name);
        Programs[programName] = replaced;
        functions[globalFunctionName] = extensionBase; // the other global functions keep their indexes: the code before extensionBase is unchanged
        return replaced;
    }

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
