using System;
using CSharpBpf.Object.Elf;

namespace CSharpBpf.Object.Objects;

/// <summary>
/// A relocation of one instruction in a program section, resolved to what it names.
/// </summary>
public sealed class BpfInstructionRelocation
{
    public BpfInstructionRelocation(int instructionIndex, BpfRelocationType elfType, string symbolName,
        BpfRelocationKind kind, string targetSectionName, long targetOffset)
    {
        InstructionIndex = instructionIndex;
        ElfType = elfType;
        SymbolName = symbolName ?? throw new ArgumentNullException(nameof(symbolName));
        Kind = kind;
        TargetSectionName = targetSectionName ?? throw new ArgumentNullException(nameof(targetSectionName));
        TargetOffset = targetOffset;
    }

    /// <summary>Slot index of the patched instruction within its section.</summary>
    public int InstructionIndex { get; }
    public BpfRelocationType ElfType { get; }
    /// <summary>The symbol as named in .symtab (a section symbol is named after its section).</summary>
    public string SymbolName { get; }
    public BpfRelocationKind Kind { get; }
    /// <summary>Section holding the target ("" for externs).</summary>
    public string TargetSectionName { get; }
    /// <summary>
    /// Where in the target: Map - the map definition's byte offset in .maps; GlobalData - the byte
    /// offset inside the data section (symbol value + the instruction's imm); SubprogramCall /
    /// SubprogramAddress - the target instruction slot within the target section; externs - 0.
    /// </summary>
    public long TargetOffset { get; }

    /// <summary>File offset of the REL entry this was read from (-1 when built in memory); for error messages.</summary>
    internal long SourceOffset { get; init; } = -1;

    public override string ToString() => $"insn {InstructionIndex}: {Kind} {SymbolName} ({TargetSectionName}+{TargetOffset})";
}
