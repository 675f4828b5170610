using System;
using System.Collections.Generic;
using System.Linq;

namespace CSharpBpf.Compiler.Ir;

/// <summary>
/// One IR instruction. Each knows the register it defines (if any) and the operands it reads,
/// and can rewrite them, so passes (copy propagation, inlining, register allocation) work
/// generically. Every instruction carries its C# <see cref="Location"/>.
/// </summary>
public abstract class Inst
{
    public SourceLocation Location { get; set; }

    /// <summary>The register written, or null.</summary>
    public virtual VReg? Def => null;

    /// <summary>The operands read (registers and immediates).</summary>
    public abstract IEnumerable<Operand> Operands { get; }

    public IEnumerable<VReg> Uses => Operands.Where(o => o.IsReg).Select(o => o.Reg!);

    /// <summary>Replaces every operand by <paramref name="map"/>(operand). Operands that must be
    /// registers (load bases) are only replaced by registers.</summary>
    public abstract void RewriteOperands(Func<Operand, Operand> map);

    /// <summary>Replaces the defined register (inlining renames callee registers).</summary>
    public virtual void RewriteDef(Func<VReg, VReg> map) { }

    public virtual bool IsTerminator => false;

    /// <summary>True when removing the instruction could change behaviour even if its result is unused.</summary>
    public virtual bool HasSideEffects => false;

    /// <summary>A copy with the same operands and locations; block targets are remapped by the caller.</summary>
    public abstract Inst Clone();

    protected static VReg RegOnly(Operand o, VReg old) => o.IsReg ? o.Reg! : old;
}

/// <summary>dst = constant (any 64-bit value; the backend picks mov or ld_imm64).</summary>
public sealed class ConstInst : Inst
{
    public ConstInst(VReg dst, long value) { Dst = dst; Value = value; }
    public VReg Dst { get; set; }
    public long Value { get; set; }
    public override VReg? Def => Dst;
    public override IEnumerable<Operand> Operands => Array.Empty<Operand>();
    public override void RewriteOperands(Func<Operand, Operand> map) { }
    public override void RewriteDef(Func<VReg, VReg> map) => Dst = map(Dst);
    public override Inst Clone() => new ConstInst(Dst, Value) { Location = Location };
}

/// <summary>
/// dst:64 = the byte offset of a kernel-type field, as a CO-RE relocated constant: the loader rewrites
/// <see cref="Value"/> (the generated layout's offset) for the running kernel. This is how clang lowers
/// &amp;p-&gt;field under preserve_access_index (a relocated mov of the offset, then base += offset). A
/// separate instruction, not a ConstInst, so constant folding never bakes the offset into other code.
/// </summary>
public sealed class CoreOffsetInst : Inst
{
    public CoreOffsetInst(VReg dst, long value, CoreAccess core) { Dst = dst; Value = value; Core = core; }
    public VReg Dst { get; set; }
    public long Value { get; }
    public CoreAccess Core { get; }
    public override VReg? Def => Dst;
    public override IEnumerable<Operand> Operands => Array.Empty<Operand>();
    public override void RewriteOperands(Func<Operand, Operand> map) { }
    public override void RewriteDef(Func<VReg, VReg> map) => Dst = map(Dst);
    public override Inst Clone() => new CoreOffsetInst(Dst, Value, Core) { Location = Location };
}

/// <summary>dst = src. Between widths: 64 ← 32 zero-extends, 32 ← 64 truncates (eBPF mov semantics).</summary>
public sealed class MoveInst : Inst
{
    public MoveInst(VReg dst, Operand src) { Dst = dst; Src = src; }
    public VReg Dst { get; set; }
    public Operand Src { get; set; }
    public override VReg? Def => Dst;
    public override IEnumerable<Operand> Operands { get { yield return Src; } }
    public override void RewriteOperands(Func<Operand, Operand> map) => Src = map(Src);
    public override void RewriteDef(Func<VReg, VReg> map) => Dst = map(Dst);
    public override Inst Clone() => new MoveInst(Dst, Src) { Location = Location };
}

/// <summary>dst = left op right, computed at dst's width (operands of that width or immediates).</summary>
public sealed class BinaryInst : Inst
{
    public BinaryInst(BinOp op, VReg dst, Operand left, Operand right) { Op = op; Dst = dst; Left = left; Right = right; }
    public BinOp Op { get; set; }
    public VReg Dst { get; set; }
    public Operand Left { get; set; }
    public Operand Right { get; set; }
    public Width Width => Dst.Width;
    public override VReg? Def => Dst;
    public override IEnumerable<Operand> Operands { get { yield return Left; yield return Right; } }
    public override void RewriteOperands(Func<Operand, Operand> map) { Left = map(Left); Right = map(Right); }
    public override void RewriteDef(Func<VReg, VReg> map) => Dst = map(Dst);
    public override Inst Clone() => new BinaryInst(Op, Dst, Left, Right) { Location = Location };
}

/// <summary>dst = -src or ~src at dst's width.</summary>
public sealed class UnaryInst : Inst
{
    public UnaryInst(UnOp op, VReg dst, Operand src) { Op = op; Dst = dst; Src = src; }
    public UnOp Op { get; set; }
    public VReg Dst { get; set; }
    public Operand Src { get; set; }
    public override VReg? Def => Dst;
    public override IEnumerable<Operand> Operands { get { yield return Src; } }
    public override void RewriteOperands(Func<Operand, Operand> map) => Src = map(Src);
    public override void RewriteDef(Func<VReg, VReg> map) => Dst = map(Dst);
    public override Inst Clone() => new UnaryInst(Op, Dst, Src) { Location = Location };
}

/// <summary>
/// dst = the low <see cref="FromBits"/> bits of src, sign- or zero-extended to dst's width.
/// FromBits is 8, 16, 32 or 64 and at most src's width. Truncation 64 → 32 is
/// Convert(dst32, src64, 32, signed: false); (sbyte)x is Convert(dst32, x, 8, signed: true).
/// </summary>
public sealed class ConvertInst : Inst
{
    public ConvertInst(VReg dst, Operand src, int fromBits, bool signed) { Dst = dst; Src = src; FromBits = fromBits; Signed = signed; }
    public VReg Dst { get; set; }
    public Operand Src { get; set; }
    public int FromBits { get; set; }
    public bool Signed { get; set; }
    public override VReg? Def => Dst;
    public override IEnumerable<Operand> Operands { get { yield return Src; } }
    public override void RewriteOperands(Func<Operand, Operand> map) => Src = map(Src);
    public override void RewriteDef(Func<VReg, VReg> map) => Dst = map(Dst);
    public override Inst Clone() => new ConvertInst(Dst, Src, FromBits, Signed) { Location = Location };
}

/// <summary>dst = (left cond right) ? 1 : 0. Branch fusion turns "br ne (cmp), 0" into one conditional jump.</summary>
public sealed class CompareInst : Inst
{
    public CompareInst(CmpOp cond, Width width, VReg dst, Operand left, Operand right) { Cond = cond; Width = width; Dst = dst; Left = left; Right = right; }
    public CmpOp Cond { get; set; }
    public Width Width { get; set; }
    public VReg Dst { get; set; }
    public Operand Left { get; set; }
    public Operand Right { get; set; }
    public override VReg? Def => Dst;
    public override IEnumerable<Operand> Operands { get { yield return Left; yield return Right; } }
    public override void RewriteOperands(Func<Operand, Operand> map) { Left = map(Left); Right = map(Right); }
    public override void RewriteDef(Func<VReg, VReg> map) => Dst = map(Dst);
    public override Inst Clone() => new CompareInst(Cond, Width, Dst, Left, Right) { Location = Location };
}

/// <summary>
/// A CO-RE field access: the access path (BTF access string, "0:2:1") from a kernel struct type,
/// recorded as a BTF.ext field relocation so the loader patches the offset for the running kernel.
/// </summary>
public sealed record CoreAccess(StructType RootType, string AccessString, CoreRelocationKind Kind = CoreRelocationKind.FieldByteOffset);

/// <summary>libbpf's bpf_core_relo_kind values for the kinds the compiler emits.</summary>
public enum CoreRelocationKind
{
    FieldByteOffset = 0,
    FieldByteSize = 1,
    FieldExists = 2,
    FieldSigned = 3,
    FieldLShiftU64 = 4,
    FieldRShiftU64 = 5,
    TypeIdLocal = 6,
    TypeIdTarget = 7,
    TypeExists = 8,
    TypeSize = 9,
}

/// <summary>dst = *(size*)(base + offset); sign-extending when <see cref="SignExtend"/> (to dst's width).</summary>
public sealed class LoadInst : Inst
{
    public LoadInst(VReg dst, int size, VReg @base, short offset, bool signExtend = false, CoreAccess? core = null)
    {
        Dst = dst; Size = size; Base = @base; Offset = offset; SignExtend = signExtend; Core = core;
    }

    public VReg Dst { get; set; }
    /// <summary>Bytes: 1, 2, 4 or 8.</summary>
    public int Size { get; set; }
    public VReg Base { get; set; }
    public short Offset { get; set; }
    public bool SignExtend { get; set; }
    public CoreAccess? Core { get; set; }
    public override VReg? Def => Dst;
    public override IEnumerable<Operand> Operands { get { yield return Base; } }
    public override void RewriteOperands(Func<Operand, Operand> map) => Base = RegOnly(map(Base), Base);
    public override void RewriteDef(Func<VReg, VReg> map) => Dst = map(Dst);
    public override bool HasSideEffects => false;
    public override Inst Clone() => new LoadInst(Dst, Size, Base, Offset, SignExtend, Core) { Location = Location };
}

/// <summary>*(size*)(base + offset) = value (register or immediate).</summary>
public sealed class StoreInst : Inst
{
    public StoreInst(int size, VReg @base, short offset, Operand value, CoreAccess? core = null)
    {
        Size = size; Base = @base; Offset = offset; Value = value; Core = core;
    }

    public int Size { get; set; }
    public VReg Base { get; set; }
    public short Offset { get; set; }
    public Operand Value { get; set; }
    public CoreAccess? Core { get; set; }
    public override IEnumerable<Operand> Operands { get { yield return Base; yield return Value; } }
    public override void RewriteOperands(Func<Operand, Operand> map) { Base = RegOnly(map(Base), Base); Value = map(Value); }
    public override bool HasSideEffects => true;
    public override Inst Clone() => new StoreInst(Size, Base, Offset, Value, Core) { Location = Location };
}

/// <summary>dst = address of a stack slot (r10 - k). The backend folds it into r10-relative accesses.</summary>
public sealed class FrameAddrInst : Inst
{
    public FrameAddrInst(VReg dst, FrameSlot slot) { Dst = dst; Slot = slot; }
    public VReg Dst { get; set; }
    public FrameSlot Slot { get; set; }
    public override VReg? Def => Dst;
    public override IEnumerable<Operand> Operands => Array.Empty<Operand>();
    public override void RewriteOperands(Func<Operand, Operand> map) { }
    public override void RewriteDef(Func<VReg, VReg> map) => Dst = map(Dst);
    public override Inst Clone() => new FrameAddrInst(Dst, Slot) { Location = Location };
}

/// <summary>dst = the map (ld_imm64 with BPF_PSEUDO_MAP_FD and a relocation to the map's symbol).</summary>
public sealed class MapAddrInst : Inst
{
    public MapAddrInst(VReg dst, MapDefinition map) { Dst = dst; Map = map; }
    public VReg Dst { get; set; }
    public MapDefinition Map { get; set; }
    public override VReg? Def => Dst;
    public override IEnumerable<Operand> Operands => Array.Empty<Operand>();
    public override void RewriteOperands(Func<Operand, Operand> map) { }
    public override void RewriteDef(Func<VReg, VReg> map) => Dst = map(Dst);
    public override Inst Clone() => new MapAddrInst(Dst, Map) { Location = Location };
}

/// <summary>dst = &amp;global (ld_imm64 with BPF_PSEUDO_MAP_VALUE into .data/.rodata/.bss).</summary>
public sealed class GlobalAddrInst : Inst
{
    public GlobalAddrInst(VReg dst, GlobalVariable global) { Dst = dst; Global = global; }
    public VReg Dst { get; set; }
    public GlobalVariable Global { get; set; }
    public override VReg? Def => Dst;
    public override IEnumerable<Operand> Operands => Array.Empty<Operand>();
    public override void RewriteOperands(Func<Operand, Operand> map) { }
    public override void RewriteDef(Func<VReg, VReg> map) => Dst = map(Dst);
    public override Inst Clone() => new GlobalAddrInst(Dst, Global) { Location = Location };
}

/// <summary>dst = address of a function (ld_imm64 BPF_PSEUDO_FUNC), for callbacks such as bpf_loop.</summary>
public sealed class FuncAddrInst : Inst
{
    public FuncAddrInst(VReg dst, IrFunction function) { Dst = dst; Function = function; }
    public VReg Dst { get; set; }
    public IrFunction Function { get; set; }
    public override VReg? Def => Dst;
    public override IEnumerable<Operand> Operands => Array.Empty<Operand>();
    public override void RewriteOperands(Func<Operand, Operand> map) { }
    public override void RewriteDef(Func<VReg, VReg> map) => Dst = map(Dst);
    public override Inst Clone() => new FuncAddrInst(Dst, Function) { Location = Location };
}

/// <summary>
/// dst = callee(args). The callee's <see cref="IrFunction.Kind"/> says how: a helper (by id),
/// a local subprogram or global function (bpf-to-bpf call), or a kfunc (by BTF name, resolved
/// at load time). At most five arguments. Dst is null for void or ignored results.
/// </summary>
public sealed class CallInst : Inst
{
    public CallInst(VReg? dst, IrFunction callee, IReadOnlyList<Operand> args)
    {
        Dst = dst; Callee = callee; Args = args.ToArray();
    }

    public VReg? Dst { get; set; }
    public IrFunction Callee { get; set; }
    public Operand[] Args { get; private set; }
    public override VReg? Def => Dst;
    public override IEnumerable<Operand> Operands => Args;
    public override void RewriteOperands(Func<Operand, Operand> map) => Args = Args.Select(map).ToArray();
    public override void RewriteDef(Func<VReg, VReg> map) { if (Dst is not null) Dst = map(Dst); }
    public override bool HasSideEffects => true;
    public override Inst Clone() => new CallInst(Dst, Callee, Args) { Location = Location };
}

/// <summary>
/// Atomic read-modify-write on *(size*)(base + offset) with <see cref="Value"/>. The Fetch*
/// and Xchg forms write the old value to <see cref="Dst"/>; CmpXchg compares with
/// <see cref="Expected"/> and writes the old value to Dst.
/// </summary>
public sealed class AtomicInst : Inst
{
    public AtomicInst(AtomicRmwOp op, int size, VReg @base, short offset, VReg value, VReg? dst = null, Operand? expected = null)
    {
        Op = op; Size = size; Base = @base; Offset = offset; Value = value; Dst = dst; Expected = expected;
    }

    public AtomicRmwOp Op { get; set; }
    public int Size { get; set; }
    public VReg Base { get; set; }
    public short Offset { get; set; }
    public VReg Value { get; set; }
    public VReg? Dst { get; set; }
    public Operand? Expected { get; set; }
    public override VReg? Def => Dst;

    public override IEnumerable<Operand> Operands
    {
        get
        {
            yield return Base;
            yield return Value;
            if (Expected is { } e) yield return e;
        }
    }

    public override void RewriteOperands(Func<Operand, Operand> map)
    {
        Base = RegOnly(map(Base), Base);
        Value = RegOnly(map(Value), Value);
        if (Expected is { } e) Expected = map(e);
    }

    public override void RewriteDef(Func<VReg, VReg> map) { if (Dst is not null) Dst = map(Dst); }
    public override bool HasSideEffects => true;
    public override Inst Clone() => new AtomicInst(Op, Size, Base, Offset, Value, Dst, Expected) { Location = Location };
}

/// <summary>Ends a block. Successors are its targets.</summary>
public abstract class Terminator : Inst
{
    public override bool IsTerminator => true;
    public override bool HasSideEffects => true;
    public abstract IReadOnlyList<BasicBlock> Successors { get; }
    public abstract void ReplaceTarget(BasicBlock from, BasicBlock to);
}

public sealed class JumpInst : Terminator
{
    public JumpInst(BasicBlock target) => Target = target;
    public BasicBlock Target { get; set; }
    public override IReadOnlyList<BasicBlock> Successors => new[] { Target };
    public override IEnumerable<Operand> Operands => Array.Empty<Operand>();
    public override void RewriteOperands(Func<Operand, Operand> map) { }
    public override void ReplaceTarget(BasicBlock from, BasicBlock to) { if (Target == from) Target = to; }
    public override Inst Clone() => new JumpInst(Target) { Location = Location };
}

/// <summary>if (left cond right) goto IfTrue else goto IfFalse, compared at <see cref="Width"/>.</summary>
public sealed class BranchInst : Terminator
{
    public BranchInst(CmpOp cond, Width width, Operand left, Operand right, BasicBlock ifTrue, BasicBlock ifFalse)
    {
        Cond = cond; Width = width; Left = left; Right = right; IfTrue = ifTrue; IfFalse = ifFalse;
    }

    public CmpOp Cond { get; set; }
    public Width Width { get; set; }
    public Operand Left { get; set; }
    public Operand Right { get; set; }
    public BasicBlock IfTrue { get; set; }
    public BasicBlock IfFalse { get; set; }
    public override IReadOnlyList<BasicBlock> Successors => new[] { IfTrue, IfFalse };
    public override IEnumerable<Operand> Operands { get { yield return Left; yield return Right; } }
    public override void RewriteOperands(Func<Operand, Operand> map) { Left = map(Left); Right = map(Right); }

    public override void ReplaceTarget(BasicBlock from, BasicBlock to)
    {
        if (IfTrue == from) IfTrue = to;
        if (IfFalse == from) IfFalse = to;
    }

    public override Inst Clone() => new BranchInst(Cond, Width, Left, Right, IfTrue, IfFalse) { Location = Location };
}

/// <summary>return value (null for void functions).</summary>
public sealed class ReturnInst : Terminator
{
    public ReturnInst(Operand? value) => Value = value;
    public Operand? Value { get; set; }
    public override IReadOnlyList<BasicBlock> Successors => Array.Empty<BasicBlock>();
    public override IEnumerable<Operand> Operands => Value is { } v ? new[] { v } : Array.Empty<Operand>();
    public override void RewriteOperands(Func<Operand, Operand> map) { if (Value is { } v) Value = map(v); }
    public override void ReplaceTarget(BasicBlock from, BasicBlock to) { }
    public override Inst Clone() => new ReturnInst(Value) { Location = Location };
}
