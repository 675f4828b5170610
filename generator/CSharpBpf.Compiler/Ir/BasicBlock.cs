using System.Collections.Generic;
using System.Linq;

namespace CSharpBpf.Compiler.Ir;

/// <summary>A straight-line run of instructions ending in exactly one <see cref="Terminator"/>.</summary>
public sealed class BasicBlock
{
    internal BasicBlock(int id, string name)
    {
        Id = id;
        Name = name;
    }

    public int Id { get; }
    public string Name { get; set; }
    public List<Inst> Instructions { get; } = new();

    public Terminator? Terminator => Instructions.Count > 0 ? Instructions[Instructions.Count - 1] as Terminator : null;
    public IReadOnlyList<BasicBlock> Successors => Terminator?.Successors ?? new BasicBlock[0];

    /// <summary>The instructions before the terminator.</summary>
    public IEnumerable<Inst> Body => Terminator is null ? Instructions : Instructions.Take(Instructions.Count - 1);

    public override string ToString() => "bb" + Id;
}

/// <summary>A stack object in the function's frame (r10-relative). The backend assigns offsets.</summary>
public sealed class FrameSlot
{
    internal FrameSlot(int id, int size, int align, string? name)
    {
        Id = id;
        Size = size;
        Align = align;
        Name = name;
    }

    public int Id { get; }
    public int Size { get; }
    public int Align { get; }
    public string? Name { get; }
    public override string ToString() => "s" + Id;
}
