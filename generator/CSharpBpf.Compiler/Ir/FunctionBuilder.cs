using System;
using System.Collections.Generic;

namespace CSharpBpf.Compiler.Ir;

/// <summary>
/// Appends instructions to a function, one current block at a time, stamping each with the
/// current source location. Used by the frontend's lowering and by hand-written IR in tests:
/// <code>
/// var b = new FunctionBuilder(f);
/// var x = b.Const(Width.W32, 5);
/// var y = b.Binary(BinOp.Add, x, 3);
/// b.Return(y);
/// </code>
/// </summary>
public sealed class FunctionBuilder
{
    public FunctionBuilder(IrFunction function)
    {
        Function = function ?? throw new ArgumentNullException(nameof(function));
        Block = function.Blocks.Count > 0 ? function.Blocks[function.Blocks.Count - 1] : function.NewBlock("entry");
    }

    public IrFunction Function { get; }
    public BasicBlock Block { get; private set; }
    public SourceLocation Location { get; set; }

    /// <summary>True when the current block already ends in a terminator (code after return).</summary>
    public bool IsTerminated => Block.Terminator is not null;

    public FunctionBuilder At(string file, int line, int column = 1)
    {
        Location = new SourceLocation(file, line, column);
        return this;
    }

    public FunctionBuilder At(SourceLocation location)
    {
        Location = location;
        return this;
    }

    public BasicBlock NewBlock(string name = "") => Function.NewBlock(name);

    public void SetBlock(BasicBlock block) => Block = block ?? throw new ArgumentNullException(nameof(block));

    public T Emit<T>(T inst) where T : Inst
    {
        if (IsTerminated) throw new InvalidOperationException($"block {Block} of {Function.Name} is already terminated; start a new block first");
        inst.Location = Location;
        Block.Instructions.Add(inst);
        return inst;
    }

    public VReg Reg(Width width, string? name = null) => Function.NewReg(width, name);
    public VReg Ptr(string? name = null) => Function.NewPtr(name);

    public VReg Const(Width width, long value)
    {
        var d = Function.NewReg(width);
        Emit(new ConstInst(d, width == Width.W32 ? (long)(uint)value : value));
        return d;
    }

    public void Move(VReg dst, Operand src) => Emit(new MoveInst(dst, src));

    /// <summary>dst = left op right at the width of <paramref name="left"/> (or of <paramref name="width"/> if given).</summary>
    public VReg Binary(BinOp op, Operand left, Operand right, Width? width = null, bool pointer = false)
    {
        var w = width ?? WidthOf(left, right);
        var d = pointer ? Function.NewPtr() : Function.NewReg(w);
        Emit(new BinaryInst(op, d, left, right));
        return d;
    }

    public void BinaryInto(VReg dst, BinOp op, Operand left, Operand right) => Emit(new BinaryInst(op, dst, left, right));

    public VReg Unary(UnOp op, Operand src, Width? width = null)
    {
        var d = Function.NewReg(width ?? WidthOf(src, src));
        Emit(new UnaryInst(op, d, src));
        return d;
    }

    public VReg SignExtend(VReg src, int fromBits, Width to)
    {
        var d = Function.NewReg(to);
        Emit(new ConvertInst(d, src, fromBits, true));
        return d;
    }

    public VReg ZeroExtend(VReg src, int fromBits, Width to)
    {
        var d = Function.NewReg(to);
        Emit(new ConvertInst(d, src, fromBits, false));
        return d;
    }

    public VReg Truncate(VReg src) => ZeroExtend(src, 32, Width.W32);

    public VReg Compare(CmpOp cond, Operand left, Operand right, Width? width = null)
    {
        var d = Function.NewReg(Width.W32);
        Emit(new CompareInst(cond, width ?? WidthOf(left, right), d, left, right));
        return d;
    }

    public VReg Load(int size, VReg @base, short offset = 0, bool signExtend = false, Width? width = null, bool pointer = false, CoreAccess? core = null)
    {
        var d = pointer ? Function.NewPtr() : Function.NewReg(width ?? (size == 8 ? Width.W64 : Width.W32));
        Emit(new LoadInst(d, size, @base, offset, signExtend, core));
        return d;
    }

    public void Store(int size, VReg @base, short offset, Operand value, CoreAccess? core = null) =>
        Emit(new StoreInst(size, @base, offset, value, core));

    public VReg FrameAddr(FrameSlot slot)
    {
        var d = Function.NewPtr(slot.Name);
        Emit(new FrameAddrInst(d, slot));
        return d;
    }

    public VReg MapAddr(MapDefinition map)
    {
        var d = Function.NewPtr(map.Name);
        Emit(new MapAddrInst(d, map));
        return d;
    }

    public VReg GlobalAddr(GlobalVariable global)
    {
        var d = Function.NewPtr(global.Name);
        Emit(new GlobalAddrInst(d, global));
        return d;
    }

    /// <summary>Calls <paramref name="callee"/>; returns the result register (null for void callees).</summary>
    public VReg? Call(IrFunction callee, params Operand[] args)
    {
        VReg? d = null;
        if (callee.ReturnType is not VoidType)
            d = callee.ReturnType is PointerType ? Function.NewPtr() : Function.NewReg(callee.ReturnType.Size == 8 ? Width.W64 : Width.W32);
        Emit(new CallInst(d, callee, args));
        return d;
    }

    public void Atomic(AtomicRmwOp op, int size, VReg @base, short offset, VReg value, VReg? dst = null, Operand? expected = null) =>
        Emit(new AtomicInst(op, size, @base, offset, value, dst, expected));

    public void Jump(BasicBlock target) => Emit(new JumpInst(target));

    public void Branch(CmpOp cond, Operand left, Operand right, BasicBlock ifTrue, BasicBlock ifFalse, Width? width = null) =>
        Emit(new BranchInst(cond, width ?? WidthOf(left, right), left, right, ifTrue, ifFalse));

    public void Return(Operand? value = null) => Emit(new ReturnInst(value));

    private static Width WidthOf(Operand a, Operand b)
    {
        if (a.IsReg) return a.Reg!.Width;
        if (b.IsReg) return b.Reg!.Width;
        return Width.W64;
    }
}
