using System;
using System.Collections.Generic;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Object.Objects;

/// <summary>An executable section: its instructions, the functions in it and its relocations.</summary>
public sealed class BpfProgramSection
{
    public BpfProgramSection(string name, IReadOnlyList<Instruction> instructions, IReadOnlyList<BpfFunction> functions,
        IReadOnlyList<BpfInstructionRelocation> relocations)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Instructions = instructions ?? throw new ArgumentNullException(nameof(instructions));
        Functions = functions ?? throw new ArgumentNullException(nameof(functions));
        Relocations = relocations ?? throw new ArgumentNullException(nameof(relocations));
    }

    /// <summary>libbpf section name, e.g. "xdp", "sockops", "struct_ops/csreno_init", ".text".</summary>
    public string Name { get; }
    public IReadOnlyList<Instruction> Instructions { get; }
    public IReadOnlyList<BpfFunction> Functions { get; }
    public IReadOnlyList<BpfInstructionRelocation> Relocations { get; }

    /// <summary>The part before the first '/', e.g. "struct_ops", "cgroup_skb", "xdp".</summary>
    public string Kind => Name.IndexOf('/') is var i && i >= 0 ? Name.Substring(0, i) : Name;

    /// <summary>The part after the first '/' (attach target or name), or "".</summary>
    public string AttachTarget => Name.IndexOf('/') is var i && i >= 0 ? Name.Substring(i + 1) : "";
}
