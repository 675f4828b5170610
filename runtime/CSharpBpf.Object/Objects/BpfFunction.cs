using System;

namespace CSharpBpf.Object.Objects;

/// <summary>
/// A function symbol inside an executable section. Functions in a section other than ".text"
/// are program entry points (libbpf's rule); those in ".text" are subprograms (static or global).
/// </summary>
public sealed class BpfFunction
{
    public BpfFunction(string name, string sectionName, int instructionOffset, int instructionCount, bool isGlobal)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        SectionName = sectionName ?? throw new ArgumentNullException(nameof(sectionName));
        InstructionOffset = instructionOffset;
        InstructionCount = instructionCount;
        IsGlobal = isGlobal;
    }

    public string Name { get; }
    public string SectionName { get; }
    /// <summary>Index of the first instruction slot within the section.</summary>
    public int InstructionOffset { get; }
    /// <summary>Number of instruction slots (an LD_IMM64 counts two).</summary>
    public int InstructionCount { get; }
    /// <summary>ELF binding global (for .text functions: a BTF "global" function the verifier checks on its own).</summary>
    public bool IsGlobal { get; }
    public bool IsEntryPoint => SectionName != BpfSectionNames.Text;

    public override string ToString() => $"{Name} in {SectionName} @{InstructionOffset}+{InstructionCount}";
}
