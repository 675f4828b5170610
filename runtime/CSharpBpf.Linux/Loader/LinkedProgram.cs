using System.Collections.Generic;
using CSharpBpf.Linux.Programs;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Linux.Loader;

/// <summary>
/// One entry program with every subprogram it calls appended (libbpf's layout), its BTF.ext
/// records moved to final instruction indices, and the references still to be resolved.
/// </summary>
public sealed class LinkedProgram
{
    public LinkedProgram(FunctionSpec entry) => Entry = entry;

    public FunctionSpec Entry { get; }
    public List<Instruction> Instructions { get; } = new();
    /// <summary>Where each function landed: function → first instruction index in <see cref="Instructions"/>.</summary>
    public Dictionary<FunctionSpec, int> Placement { get; } = new();
    public List<(int Index, BtfFuncInfo Record)> FuncInfos { get; } = new();
    public List<(int Index, BtfLineInfo Record)> LineInfos { get; } = new();
    public List<(int Index, BtfCoreRelo Record)> CoreRelos { get; } = new();
    /// <summary>Ids of maps the program references (for the leak and introspection tests).</summary>
    public HashSet<string> MapsUsed { get; } = new();
    /// <summary>CO-RE relocations that found nothing and poisoned their instruction: index → why.</summary>
    public Dictionary<int, string> PoisonedRelocations { get; } = new();

    public IReadOnlyList<SourceLine> SourceLines()
    {
        var list = new List<SourceLine>();
        foreach (var (i, r) in LineInfos) list.Add(new SourceLine(i, r.FileName, (int)r.Line, (int)r.Column, r.LineText));
        list.Sort((a, b) => a.InstructionIndex.CompareTo(b.InstructionIndex));
        return list;
    }
}
