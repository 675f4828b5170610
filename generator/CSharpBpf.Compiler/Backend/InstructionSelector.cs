using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Compiler.Backend;

/// <summary>
/// IR → machine instructions over virtual registers. eBPF ALU is two-address (dst op= src), so a
/// binary op becomes "mov d, l; op d, r" and the allocator coalesces the copy. 32-bit values use
/// the w-register forms (ALU32, JMP32) as clang -mcpu=v3 does. Arguments go to r1-r5 and results
/// come from r0 through explicit copies the allocator can usually remove.
/// Frame addresses used only as load/store bases fold into r10-relative accesses.
/// </summary>
public sealed class InstructionSelector
{
    private readonly IrFunction _f;
    private readonly TargetOptions _options;
    private readonly MFunction _mf;
    private List<MInst> _out = new();
    private SourceLocation _loc;
    private readonly Dictionary<VReg, FrameSlot> _foldableFrameAddr = new();
    private readonly Dictionary<VReg, FrameSlot> _frameAddr = new();
    private readonly HashSet<VReg> _dirty32 = new();
    private readonly Dictionary<VReg, VReg> _alias = new();

    private InstructionSelector(IrFunction f, TargetOptions options)
    {
        _f = f;
        _options = options;
        _mf = new MFunction(f) { NextVirtual = MReg.VirtualBase + f.RegisterCount };
    }

    public static MFunction Select(IrFunction f, TargetOptions options)
    {
        var sel = new InstructionSelector(f, options);
        sel.Run();
        return sel._mf;
    }

    private void Run()
    {
        FrameLayout.PlaceUserSlots(_mf);
        FindFoldableFrameAddresses();
        FindDirty32();
        FindFreeWidthChanges();
        foreach (var b in _f.Blocks)
        {
            _mf.Layout.Add(b);
            _out = new List<MInst>();
            _mf.Code[b] = _out;
            if (b == _f.Entry)
            {
                _loc = _f.Location;
                for (int i = 0; i < _f.Params.Count; i++)
                    Copy(MReg.Of(_f.Params[i].Reg), i + 1, _f.Params[i].Reg.Width, fromPhysical: true);
            }
            var next = _f.Blocks.IndexOf(b) + 1 < _f.Blocks.Count ? _f.Blocks[_f.Blocks.IndexOf(b) + 1] : null;
            foreach (var inst in b.Instructions)
            {
                _loc = inst.Location;
                Select(inst, next);
            }
        }
    }

    /// <summary>
    /// Frame address registers defined once: every load/store through them becomes r10-relative,
    /// and one used only as a memory base needs no register at all.
    /// </summary>
    private void FindFoldableFrameAddresses()
    {
        var defs = new Dictionary<VReg, int>();
        foreach (var i in _f.AllInstructions)
            if (i.Def is { } d) defs[d] = defs.TryGetValue(d, out var n) ? n + 1 : 1;
        foreach (var p in _f.Params) defs[p.Reg] = 2;
        foreach (var i in _f.AllInstructions)
            if (i is FrameAddrInst fa && defs[fa.Dst] == 1) _frameAddr[fa.Dst] = fa.Slot;
        var needed = new HashSet<VReg>();
        foreach (var i in _f.AllInstructions)
        {
            switch (i)
            {
                case LoadInst:
                    break;
                case StoreInst s:
                    if (s.Value.IsReg) needed.Add(s.Value.Reg!);
                    break;
                case AtomicInst a:
                    needed.Add(a.Value);
                    if (a.Expected is { IsReg: true } e) needed.Add(e.Reg!);
                    break;
                default:
                    foreach (var u in i.Uses) needed.Add(u);
                    break;
            }
        }
        foreach (var kv in _frameAddr)
            if (!needed.Contains(kv.Key)) _foldableFrameAddr[kv.Key] = kv.Value;
    }

    /// <summary>
    /// 32-bit registers whose upper half may be garbage: written by a truncation (which is then
    /// free: a copy, or nothing), a call result or a parameter. Every other 32-bit value comes
    /// from an ALU32 op, a load or a constant, which zero the upper half. Widening a clean
    /// value needs no instruction; returning or passing a dirty one gets an explicit w-mov.
    /// </summary>
    private void FindDirty32()
    {
        foreach (var p in _f.Params)
            if (p.Reg.Width == Width.W32) _dirty32.Add(p.Reg);
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var i in _f.AllInstructions)
            {
                if (i.Def is not { Width: Width.W32 } d || _dirty32.Contains(d)) continue;
                bool dirty = i switch
                {
                    MoveInst { Src.IsReg: true } m => m.Src.Reg!.Width == Width.W64 || _dirty32.Contains(m.Src.Reg!),
                    ConvertInst { Src.IsReg: true } c => c.FromBits >= 32 && (c.Src.Reg!.Width == Width.W64 || _dirty32.Contains(c.Src.Reg!)),
                    CallInst => true,
                    _ => false,
                };
                if (dirty && _dirty32.Add(d)) changed = true;
            }
        }
    }

    /// <summary>
    /// A free width change between registers that are each written once needs no instruction:
    /// the result simply is the source's register (a truncation reads the low half of it, a
    /// widening of a clean 32-bit value finds the upper half already zero).
    /// </summary>
    private void FindFreeWidthChanges()
    {
        var defs = new Dictionary<VReg, int>();
        foreach (var p in _f.Params) defs[p.Reg] = 1;
        foreach (var i in _f.AllInstructions)
            if (i.Def is { } d) defs[d] = defs.TryGetValue(d, out var n) ? n + 1 : 1;
        foreach (var i in _f.AllInstructions)
        {
            VReg? src = i switch
            {
                MoveInst { Src.IsReg: true } m when m.Src.Reg!.Width != m.Dst.Width => m.Src.Reg,
                ConvertInst { Src.IsReg: true, FromBits: 32, Signed: false } c when c.Src.Reg!.Width != c.Dst.Width => c.Src.Reg,
                ConvertInst { Src.IsReg: true, FromBits: 64 } c when c.Src.Reg!.Width != c.Dst.Width => c.Src.Reg,
                _ => null,
            };
            if (src is null || i.Def is not { } dst || dst.IsPointer || src.IsPointer) continue;
            if (defs[dst] != 1 || defs[src] != 1) continue;
            bool free = dst.Width == Width.W32 || IsClean32(src);
            if (free) _alias[dst] = src;
        }
    }

    private bool IsClean32(VReg r) => r.Width == Width.W32 && !_dirty32.Contains(r);

    /// <summary>A w-mov: truncating 64 → 32, or widening 32 → 64. It is a plain (removable) copy
    /// when it truncates, or widens a value whose upper half is already zero.</summary>
    private void WidthChange(int dst, VReg src, Width dstWidth)
    {
        AluReg(Width.W32, AluOp.Mov, dst, Reg(src));
        bool free = dstWidth == Width.W32 || IsClean32(src);
        if (free) _out[_out.Count - 1].IsCopy = true;
    }

    // ---- emission helpers ----

    private MInst Emit(byte opcode, int dst = MReg.None, int src = MReg.None, short off = 0, long imm = 0)
    {
        var m = new MInst { Opcode = opcode, Dst = dst, Src = src, Off = off, Imm = imm, Location = _loc };
        _out.Add(m);
        return m;
    }

    private static byte AluClass(Width w) => (byte)(w == Width.W64 ? InstructionClass.Alu64 : InstructionClass.Alu);
    private static byte JmpClass(Width w) => (byte)(w == Width.W64 ? InstructionClass.Jmp : InstructionClass.Jmp32);

    private void AluReg(Width w, AluOp op, int dst, int src) => Emit((byte)(AluClass(w) | (byte)SourceOperand.X | (byte)op), dst, src);
    private void AluImm(Width w, AluOp op, int dst, long imm) => Emit((byte)(AluClass(w) | (byte)op), dst, imm: (int)imm);

    private void Copy(int dst, int src, Width w, bool fromPhysical = false)
    {
        var m = Emit((byte)(AluClass(w) | (byte)SourceOperand.X | (byte)AluOp.Mov), dst, src);
        m.IsCopy = true;
    }

    private void LoadConst(int dst, long value, Width w)
    {
        if (w == Width.W32) Emit((byte)(AluClass(w) | (byte)AluOp.Mov), dst, imm: unchecked((int)value));
        else if (value >= int.MinValue && value <= int.MaxValue) Emit((byte)(AluClass(w) | (byte)AluOp.Mov), dst, imm: value);
        else Emit(0x18, dst, imm: value);
    }

    private int Reg(VReg v)
    {
        int guard = 0;
        while (_alias.TryGetValue(v, out var a) && guard++ < 64) v = a;
        return MReg.Of(v);
    }

    /// <summary>The operand in a register (immediates are materialized into a temporary).</summary>
    private int InReg(Operand o, Width w)
    {
        if (o.IsReg) return Reg(o.Reg!);
        int t = _mf.NewVirtual();
        LoadConst(t, o.Imm, w);
        return t;
    }

    private static bool FitsImm(Operand o, Width w) => o.IsImm && (w == Width.W32 || o.FitsImm32);

    // ---- selection ----

    private void Select(Inst inst, BasicBlock? next)
    {
        if (inst.Def is { } aliased && _alias.ContainsKey(aliased)) return; // the result is its source's register
        switch (inst)
        {
            case ConstInst c:
                LoadConst(Reg(c.Dst), c.Value, c.Dst.Width);
                break;
            case CoreOffsetInst co:
                // mov64 dst, imm carrying the relocation (the loader patches the ALU immediate), as clang emits
                Emit((byte)(AluClass(Width.W64) | (byte)AluOp.Mov), Reg(co.Dst), imm: co.Value).Core = co.Core;
                break;
            case MoveInst m:
                SelectMove(m);
                break;
            case BinaryInst b:
                SelectBinary(b);
                break;
            case UnaryInst u:
                SelectUnary(u);
                break;
            case ConvertInst c:
                SelectConvert(c);
                break;
            case LoadInst l:
                SelectLoad(l);
                break;
            case StoreInst s:
                SelectStore(s);
                break;
            case FrameAddrInst fa:
                if (_foldableFrameAddr.ContainsKey(fa.Dst)) break;
                Copy(Reg(fa.Dst), MReg.FP, Width.W64);
                _out[_out.Count - 1].IsCopy = false;
                AluImm(Width.W64, AluOp.Add, Reg(fa.Dst), _mf.SlotOffsets[fa.Slot]);
                break;
            case MapAddrInst ma:
                Emit(0x18, Reg(ma.Dst), (int)PseudoSource.MapFd).Reloc = new MReloc(RelocKind.MapFd, ma.Map.Name, ma.Map);
                break;
            case GlobalAddrInst ga:
                Emit(0x18, Reg(ga.Dst), (int)PseudoSource.MapValue).Reloc = new MReloc(RelocKind.MapValue, ga.Global.Name, ga.Global);
                break;
            case FuncAddrInst fa:
                Emit(0x18, Reg(fa.Dst), (int)PseudoSource.Func).Reloc = new MReloc(RelocKind.FuncAddr, fa.Function.Name, fa.Function);
                break;
            case CallInst call:
                SelectCall(call);
                break;
            case AtomicInst a:
                SelectAtomic(a);
                break;
            case JumpInst j:
                if (j.Target != next) Emit(0x05).Target = j.Target;
                break;
            case BranchInst br:
                SelectBranch(br, next);
                break;
            case ReturnInst r:
                if (r.Value is { } v)
                {
                    var w = v.IsReg ? v.Reg!.Width : (_f.ReturnType.Size == 8 || _f.ReturnType is PointerType ? Width.W64 : Width.W32);
                    if (v.IsImm) LoadConst(MReg.R0, v.Imm, w);
                    else if (_dirty32.Contains(v.Reg!)) AluReg(Width.W32, AluOp.Mov, MReg.R0, Reg(v.Reg!)); // clean r0 for the verifier's return checks
                    else Copy(MReg.R0, Reg(v.Reg!), w);
                }
                Emit(0x95);
                break;
            default:
                throw new BackendException($"no instruction selection for {inst.GetType().Name}", inst.Location, _f.Name);
        }
    }

    private void SelectMove(MoveInst m)
    {
        int d = Reg(m.Dst);
        if (m.Src.IsImm) { LoadConst(d, m.Src.Imm, m.Dst.Width); return; }
        var s = m.Src.Reg!;
        if (s.Width == m.Dst.Width) { Copy(d, Reg(s), m.Dst.Width); return; }
        // Width change: w-mov both truncates (32 ← 64) and zero-extends (64 ← 32).
        WidthChange(d, s, m.Dst.Width);
    }

    private static AluOp AluOpOf(BinOp op) => op switch
    {
        BinOp.Add => AluOp.Add,
        BinOp.Sub => AluOp.Sub,
        BinOp.Mul => AluOp.Mul,
        BinOp.UDiv or BinOp.SDiv => AluOp.Div,
        BinOp.URem or BinOp.SRem => AluOp.Mod,
        BinOp.And => AluOp.And,
        BinOp.Or => AluOp.Or,
        BinOp.Xor => AluOp.Xor,
        BinOp.Shl => AluOp.Lsh,
        BinOp.LShr => AluOp.Rsh,
        BinOp.AShr => AluOp.Arsh,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private void SelectBinary(BinaryInst b)
    {
        var w = b.Width;
        var left = b.Left;
        var right = b.Right;
        if (left.IsImm && !right.IsImm && b.Op.IsCommutative()) (left, right) = (right, left);
        bool signed = b.Op is BinOp.SDiv or BinOp.SRem;
        if (signed && !_options.UseV4)
            throw new BackendException("signed division reached instruction selection; run SignedDivisionLowering first", b.Location, _f.Name);
        var op = AluOpOf(b.Op);
        int d = Reg(b.Dst);
        // If the destination is also the right operand, "mov d, l" would clobber it: go through a temporary.
        bool clash = right.IsReg && right.Reg == b.Dst && !(left.IsReg && left.Reg == b.Dst);
        int work = clash ? _mf.NewVirtual() : d;
        if (left.IsImm) LoadConst(work, left.Imm, w);
        else if (Reg(left.Reg!) != work) Copy(work, Reg(left.Reg!), w);
        if (right.IsImm && b.Op is BinOp.Shl or BinOp.LShr or BinOp.AShr)
            right = Operand.Const(right.Imm & ((int)w - 1)); // C# and eBPF mask shift counts; the verifier rejects out-of-range constants
        MInst m;
        // The verifier refuses a division by the constant 0 (it accepts a register holding 0).
        bool divByZeroImm = right.IsImm && op is AluOp.Div or AluOp.Mod && Passes.Evaluator.Normalize(right.Imm, w) == 0;
        if (FitsImm(right, w) && !divByZeroImm)
        {
            AluImm(w, op, work, right.Imm);
            m = _out[_out.Count - 1];
        }
        else
        {
            AluReg(w, op, work, InReg(right, w));
            m = _out[_out.Count - 1];
        }
        if (signed) m.Off = 1; // v4 sdiv/smod
        if (clash) Copy(d, work, w);
    }

    private void SelectUnary(UnaryInst u)
    {
        var w = u.Dst.Width;
        int d = Reg(u.Dst);
        if (u.Src.IsImm) LoadConst(d, u.Src.Imm, w);
        else if (Reg(u.Src.Reg!) != d) Copy(d, Reg(u.Src.Reg!), w);
        switch (u.Op)
        {
            case UnOp.Neg: Emit((byte)(AluClass(w) | (byte)AluOp.Neg), d); break;
            case UnOp.Not: AluImm(w, AluOp.Xor, d, -1); break;
            // BPF_END | BPF_TO_BE on a little-endian target swaps the low bits and zero-extends (v1, no v4 needed)
            case UnOp.ByteSwap16: Emit((byte)((byte)InstructionClass.Alu | (byte)SourceOperand.X | (byte)AluOp.End), d, imm: 16); break;
            case UnOp.ByteSwap32: Emit((byte)((byte)InstructionClass.Alu | (byte)SourceOperand.X | (byte)AluOp.End), d, imm: 32); break;
            default: Emit((byte)((byte)InstructionClass.Alu | (byte)SourceOperand.X | (byte)AluOp.End), d, imm: 64); break;
        }
    }

    private void SelectConvert(ConvertInst c)
    {
        var dw = c.Dst.Width;
        int d = Reg(c.Dst);
        if (c.Src.IsImm) { LoadConst(d, Fold(c.Src.Imm, c.FromBits, c.Signed), dw); return; }
        var s = c.Src.Reg!;
        int bits = (int)dw;
        if (c.FromBits >= bits)
        {
            // Same or narrowing width with nothing to extend: a copy (truncation uses the w-mov).
            if (s.Width == dw) Copy(d, Reg(s), dw);
            else WidthChange(d, s, dw);
            return;
        }
        if (!c.Signed)
        {
            if (c.FromBits == 32) { WidthChange(d, s, dw); return; }
            // and with 0xff/0xffff at the destination width; a 64 ← 32 source is first widened by w-mov.
            if (s.Width == dw) Copy(d, Reg(s), dw);
            else AluReg(Width.W32, AluOp.Mov, d, Reg(s));
            AluImm(dw, AluOp.And, d, (1L << c.FromBits) - 1);
            return;
        }
        if (_options.UseV4)
        {
            // movsx: dst = sign-extended low bits of src.
            var m = Emit((byte)(AluClass(dw) | (byte)SourceOperand.X | (byte)AluOp.Mov), d, Reg(s));
            m.Off = (short)c.FromBits;
            return;
        }
        if (s.Width == dw) Copy(d, Reg(s), dw);
        else AluReg(Width.W64, AluOp.Mov, d, Reg(s)); // 64 ← 32: the low 32 bits are what is shifted up
        AluImm(dw, AluOp.Lsh, d, bits - c.FromBits);
        AluImm(dw, AluOp.Arsh, d, bits - c.FromBits);
    }

    internal static long Fold(long v, int fromBits, bool signed) => fromBits switch
    {
        8 => signed ? (sbyte)v : (byte)v,
        16 => signed ? (short)v : (ushort)v,
        32 => signed ? (int)v : (uint)v,
        _ => v,
    };

    private static JmpOp JmpOpOf(CmpOp c) => c switch
    {
        CmpOp.Eq => JmpOp.Jeq,
        CmpOp.Ne => JmpOp.Jne,
        CmpOp.Ult => JmpOp.Jlt,
        CmpOp.Ule => JmpOp.Jle,
        CmpOp.Ugt => JmpOp.Jgt,
        CmpOp.Uge => JmpOp.Jge,
        CmpOp.Slt => JmpOp.Jslt,
        CmpOp.Sle => JmpOp.Jsle,
        CmpOp.Sgt => JmpOp.Jsgt,
        CmpOp.Sge => JmpOp.Jsge,
        CmpOp.Set => JmpOp.Jset,
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    /// <summary>Emits "if left cond right goto target" (target null: skip <paramref name="skip"/> slots).</summary>
    private MInst CondJump(CmpOp cond, Width w, Operand left, Operand right)
    {
        if (left.IsImm && right.IsReg) { (left, right) = (right, left); cond = cond.Swap(); }
        int l = InReg(left, w);
        var op = (byte)JmpOpOf(cond);
        if (FitsImm(right, w)) return Emit((byte)(JmpClass(w) | op), l, imm: (int)right.Imm);
        return Emit((byte)(JmpClass(w) | (byte)SourceOperand.X | op), l, InReg(right, w));
    }

    private void SelectBranch(BranchInst br, BasicBlock? next)
    {
        if (br.IfTrue == br.IfFalse)
        {
            if (br.IfTrue != next) Emit(0x05).Target = br.IfTrue;
            return;
        }
        var cond = br.Cond;
        var t = br.IfTrue;
        var f = br.IfFalse;
        if (t == next && cond.HasNegation())
        {
            cond = cond.Negate();
            (t, f) = (f, t);
        }
        CondJump(cond, br.Width, br.Left, br.Right).Target = t;
        if (f != next) Emit(0x05).Target = f;
    }

    private static MemSize SizeOf(int bytes) => bytes switch
    {
        1 => MemSize.B,
        2 => MemSize.H,
        4 => MemSize.W,
        _ => MemSize.DW,
    };

    private (int baseReg, short off) Address(VReg @base, short offset)
    {
        if (_frameAddr.TryGetValue(@base, out var slot))
            return (MReg.FP, (short)(_mf.SlotOffsets[slot] + offset));
        return (Reg(@base), offset);
    }

    private void SelectLoad(LoadInst l)
    {
        var (b, off) = Address(l.Base, l.Offset);
        int d = Reg(l.Dst);
        bool sx = l.SignExtend && l.Size < 8;
        if (sx && _options.UseV4)
        {
            Emit((byte)((byte)InstructionClass.Ldx | (byte)SizeOf(l.Size) | (byte)MemMode.MemSx), d, b, off).Core = l.Core;
            return;
        }
        Emit((byte)((byte)InstructionClass.Ldx | (byte)SizeOf(l.Size) | (byte)MemMode.Mem), d, b, off).Core = l.Core;
        if (sx)
        {
            int shift = (int)l.Dst.Width - l.Size * 8;
            if (shift > 0)
            {
                AluImm(l.Dst.Width, AluOp.Lsh, d, shift);
                AluImm(l.Dst.Width, AluOp.Arsh, d, shift);
            }
        }
    }

    private void SelectStore(StoreInst s)
    {
        var (b, off) = Address(s.Base, s.Offset);
        var size = SizeOf(s.Size);
        if (s.Value.IsImm && (s.Size < 8 || s.Value.FitsImm32))
        {
            long v = s.Size switch { 1 => (sbyte)s.Value.Imm, 2 => (short)s.Value.Imm, 4 => (int)s.Value.Imm, _ => s.Value.Imm };
            Emit((byte)((byte)InstructionClass.St | (byte)size | (byte)MemMode.Mem), b, off: off, imm: v).Core = s.Core;
            return;
        }
        int src = InReg(s.Value, s.Size == 8 ? Width.W64 : Width.W32);
        if (s.Value.IsReg && _foldableFrameAddr.ContainsKey(s.Value.Reg!))
            throw new BackendException("internal: folded frame address stored", s.Location, _f.Name);
        Emit((byte)((byte)InstructionClass.Stx | (byte)size | (byte)MemMode.Mem), b, src, off).Core = s.Core;
    }

    private void SelectCall(CallInst call)
    {
        for (int i = 0; i < call.Args.Length; i++)
        {
            var a = call.Args[i];
            var w = a.IsReg ? a.Reg!.Width : (i < call.Callee.Params.Count ? WidthOfType(call.Callee.Params[i].Type) : Width.W64);
            if (a.IsImm) LoadConst(i + 1, a.Imm, w);
            else if (_dirty32.Contains(a.Reg!)) AluReg(Width.W32, AluOp.Mov, i + 1, Reg(a.Reg!));
            else Copy(i + 1, Reg(a.Reg!), w);
        }
        MInst m;
        switch (call.Callee.Kind)
        {
            case FunctionKind.Helper:
                m = Emit(0x85, imm: call.Callee.HelperId);
                break;
            case FunctionKind.Kfunc:
                // As clang emits it: a pseudo call (src=1) relocated against the extern symbol; libbpf
                // turns it into a kfunc call (src=2) with the kernel BTF id.
                m = Emit(0x85, src: (int)CallKind.Local, imm: -1);
                m.Reloc = new MReloc(RelocKind.KfuncCall, call.Callee.Name, call.Callee);
                break;
            case FunctionKind.Subprogram:
            case FunctionKind.Global:
                m = Emit(0x85, src: (int)CallKind.Local, imm: -1);
                m.Reloc = new MReloc(RelocKind.LocalCall, call.Callee.Name, call.Callee);
                break;
            default:
                throw new BackendException($"cannot call program {call.Callee.Name}: programs are entry points (use a tail call)", call.Location, _f.Name);
        }
        m.ArgCount = call.Args.Length;
        if (call.Dst is { } d) Copy(Reg(d), MReg.R0, d.Width);
    }

    private static Width WidthOfType(IrType t) => t.Size == 8 || t is PointerType ? Width.W64 : Width.W32;

    private void SelectAtomic(AtomicInst a)
    {
        var (b, off) = Address(a.Base, a.Offset);
        var size = SizeOf(a.Size);
        var w = a.Size == 8 ? Width.W64 : Width.W32;
        var op = a.Op switch
        {
            AtomicRmwOp.Add => AtomicOp.Add,
            AtomicRmwOp.Or => AtomicOp.Or,
            AtomicRmwOp.And => AtomicOp.And,
            AtomicRmwOp.Xor => AtomicOp.Xor,
            AtomicRmwOp.FetchAdd => AtomicOp.FetchAdd,
            AtomicRmwOp.FetchOr => AtomicOp.FetchOr,
            AtomicRmwOp.FetchAnd => AtomicOp.FetchAnd,
            AtomicRmwOp.FetchXor => AtomicOp.FetchXor,
            AtomicRmwOp.Xchg => AtomicOp.Xchg,
            _ => AtomicOp.CmpXchg,
        };
        byte opcode = (byte)((byte)InstructionClass.Stx | (byte)size | (byte)MemMode.Atomic);
        if (op == AtomicOp.CmpXchg)
        {
            var e = a.Expected!.Value;
            if (e.IsImm) LoadConst(MReg.R0, e.Imm, w); else Copy(MReg.R0, Reg(e.Reg!), w);
            Emit(opcode, b, Reg(a.Value), off, (int)op);
            if (a.Dst is { } d0) Copy(Reg(d0), MReg.R0, w);
            return;
        }
        if (a.Dst is { } d)
        {
            // The fetch forms overwrite the value register with the old contents: work on d.
            Copy(Reg(d), Reg(a.Value), w);
            Emit(opcode, b, Reg(d), off, (int)op);
            return;
        }
        Emit(opcode, b, Reg(a.Value), off, (int)op);
    }
}
