using System;
using System.Collections.Generic;
using System.Linq;

namespace CSharpBpf.Compiler.Ir;

public enum FunctionKind
{
    /// <summary>A BPF program: its own ELF section (<see cref="IrFunction.SectionName"/>), global linkage.</summary>
    Program,
    /// <summary>A static bpf-to-bpf subprogram in .text (inlined when small), verified with its caller.</summary>
    Subprogram,
    /// <summary>A [Global] function: global linkage in .text, verified on its own, replaceable by freplace.</summary>
    Global,
    /// <summary>An extern kernel function, called by name (resolved through vmlinux BTF at load).</summary>
    Kfunc,
    /// <summary>A BPF helper, called by <see cref="IrFunction.HelperId"/>.</summary>
    Helper,
}

public enum InlineHint
{
    Default,
    Always,
    Never,
}

public sealed class IrParam
{
    public IrParam(string name, IrType type, VReg reg)
    {
        Name = name;
        Type = type;
        Reg = reg;
    }

    public string Name { get; }
    public IrType Type { get; }
    /// <summary>The register holding the argument on entry (functions with bodies only).</summary>
    public VReg Reg { get; }
}

/// <summary>
/// A function: a program, subprogram, global function (with a body), or a kfunc/helper
/// declaration (without). Blocks[0] is the entry block.
/// </summary>
public sealed class IrFunction
{
    private int _nextReg;
    private int _nextBlock;
    private int _nextSlot;

    public IrFunction(string name, FunctionKind kind, IrType returnType)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Kind = kind;
        ReturnType = returnType;
    }

    public string Name { get; }
    public FunctionKind Kind { get; }
    public IrType ReturnType { get; }
    public List<IrParam> Params { get; } = new();
    public List<BasicBlock> Blocks { get; } = new();
    public List<FrameSlot> FrameSlots { get; } = new();

    /// <summary>libbpf section name for programs ("xdp", "cgroup_skb/egress", "struct_ops/init").</summary>
    public string? SectionName { get; set; }

    /// <summary>Helper number for <see cref="FunctionKind.Helper"/> (bpf_map_lookup_elem = 1).</summary>
    public int HelperId { get; set; }

    public InlineHint Inline { get; set; }

    /// <summary>Where the C# method is declared: func_info and errors about the whole function.</summary>
    public SourceLocation Location { get; set; }

    public bool HasBody => Kind is FunctionKind.Program or FunctionKind.Subprogram or FunctionKind.Global;
    public BasicBlock Entry => Blocks.Count > 0 ? Blocks[0] : throw new InvalidOperationException($"function {Name} has no blocks");

    public FuncProtoType Prototype => new(ReturnType, Params.Select(p => new FuncParam(p.Name, p.Type)).ToArray());

    public VReg NewReg(Width width, string? name = null) => new(_nextReg++, width, false, name);
    public VReg NewPtr(string? name = null) => new(_nextReg++, Width.W64, true, name);

    /// <summary>A register like <paramref name="like"/> (same width and pointer-ness).</summary>
    public VReg NewRegLike(VReg like, string? name = null) => new(_nextReg++, like.Width, like.IsPointer, name ?? like.Name);

    public int RegisterCount => _nextReg;

    public BasicBlock NewBlock(string name = "")
    {
        var b = new BasicBlock(_nextBlock++, name);
        Blocks.Add(b);
        return b;
    }

    public FrameSlot NewSlot(int size, int align = 8, string? name = null)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "a frame slot needs a positive size");
        if (align is not (1 or 2 or 4 or 8)) throw new ArgumentOutOfRangeException(nameof(align), align, "alignment is 1, 2, 4 or 8");
        var s = new FrameSlot(_nextSlot++, size, align, name);
        FrameSlots.Add(s);
        return s;
    }

    public IrParam AddParam(string name, IrType type)
    {
        var reg = type is PointerType ? NewPtr(name) : NewReg(type.Size == 8 ? Width.W64 : Width.W32, name);
        var p = new IrParam(name, type, reg);
        Params.Add(p);
        return p;
    }

    public IEnumerable<Inst> AllInstructions => Blocks.SelectMany(b => b.Instructions);

    /// <summary>Predecessor lists computed from the terminators (recompute after edits).</summary>
    public Dictionary<BasicBlock, List<BasicBlock>> Predecessors()
    {
        var preds = Blocks.ToDictionary(b => b, _ => new List<BasicBlock>());
        foreach (var b in Blocks)
            foreach (var s in b.Successors)
                if (preds.TryGetValue(s, out var list) && !list.Contains(b)) list.Add(b);
        return preds;
    }

    public override string ToString() => Name;
}
