using System.Collections.Generic;
using System.Linq;

namespace CSharpBpf.Compiler.Ir;

/// <summary>
/// Checks the structural rules the passes and the backend rely on: every block ends in exactly
/// one terminator, branch targets belong to the function, widths agree, sizes are legal, calls
/// pass at most five arguments and as many as the callee declares, every register read is
/// written somewhere (or is a parameter), returns match the return type.
/// </summary>
public static class IrValidator
{
    public static void Validate(IrModule module)
    {
        var problems = new List<string>();
        foreach (var f in module.Definitions) Check(f, problems);
        if (problems.Count > 0) throw new IrValidationException(problems);
    }

    public static void Validate(IrFunction function)
    {
        var problems = new List<string>();
        Check(function, problems);
        if (problems.Count > 0) throw new IrValidationException(problems);
    }

    public static IReadOnlyList<string> Problems(IrFunction function)
    {
        var problems = new List<string>();
        Check(function, problems);
        return problems;
    }

    private static void Check(IrFunction f, List<string> problems)
    {
        void Bad(BasicBlock? b, Inst? i, string msg) =>
            problems.Add($"{f.Name}{(b is null ? "" : ":" + b)}{(i is null ? "" : " [" + IrPrinter.Print(i) + "] at " + i.Location)}: {msg}");

        if (!f.HasBody) return;
        if (f.Blocks.Count == 0) { Bad(null, null, "function has no blocks"); return; }
        if (f.Kind == FunctionKind.Program && string.IsNullOrEmpty(f.SectionName)) Bad(null, null, "a program needs a section name");
        if (f.Params.Count > 5) Bad(null, null, $"{f.Params.Count} parameters; eBPF passes at most 5 in r1-r5");

        var blocks = new HashSet<BasicBlock>(f.Blocks);
        var defined = new HashSet<VReg>(f.Params.Select(p => p.Reg));
        foreach (var i in f.AllInstructions)
            if (i.Def is { } d) defined.Add(d);
        var slots = new HashSet<FrameSlot>(f.FrameSlots);

        foreach (var b in f.Blocks)
        {
            if (b.Instructions.Count == 0 || b.Terminator is null) Bad(b, null, "block does not end in a terminator");
            for (int k = 0; k < b.Instructions.Count; k++)
            {
                var i = b.Instructions[k];
                if (i.IsTerminator && k != b.Instructions.Count - 1) Bad(b, i, "terminator in the middle of a block");
                foreach (var u in i.Uses)
                    if (!defined.Contains(u)) Bad(b, i, $"{u} is read but never written");
                if (i is Terminator t)
                    foreach (var s in t.Successors)
                        if (!blocks.Contains(s)) Bad(b, i, $"target {s} is not a block of this function");
                CheckInst(f, b, i, slots, (bb, ii, m) => Bad(bb, ii, m));
            }
        }
    }

    private static void CheckInst(IrFunction f, BasicBlock b, Inst i, HashSet<FrameSlot> slots, System.Action<BasicBlock, Inst, string> bad)
    {
        static bool SameWidth(Operand o, Width w) => o.IsImm || o.Reg!.Width == w;
        switch (i)
        {
            case BinaryInst x:
                if (!SameWidth(x.Left, x.Width) || !SameWidth(x.Right, x.Width))
                {
                    // Pointer arithmetic may add a 64-bit offset only; anything else must agree.
                    bad(b, i, $"operand widths differ from the {(int)x.Width}-bit result");
                }
                break;
            case UnaryInst x:
                if (!SameWidth(x.Src, x.Dst.Width)) bad(b, i, "operand width differs from the result");
                if (x.Op == UnOp.ByteSwap64 && x.Dst.Width != Width.W64) bad(b, i, "a 64-bit byte swap needs a 64-bit register");
                break;
            case ConvertInst x:
                if (x.FromBits is not (8 or 16 or 32 or 64)) bad(b, i, $"extension from {x.FromBits} bits; use 8, 16, 32 or 64");
                else if (x.Src.IsReg && x.FromBits > (int)x.Src.Reg!.Width) bad(b, i, $"{x.FromBits} bits from a {(int)x.Src.Reg!.Width}-bit register");
                else if (x.FromBits > (int)x.Dst.Width) bad(b, i, $"{x.FromBits} bits into a {(int)x.Dst.Width}-bit register");
                break;
            case CompareInst x:
                if (!SameWidth(x.Left, x.Width) || !SameWidth(x.Right, x.Width)) bad(b, i, "compare operand widths differ from the compare width");
                break;
            case BranchInst x:
                if (!SameWidth(x.Left, x.Width) || !SameWidth(x.Right, x.Width)) bad(b, i, "branch operand widths differ from the compare width");
                break;
            case CoreOffsetInst x:
                if (x.Dst.Width != Width.W64) bad(b, i, "a CO-RE field offset needs a 64-bit register");
                if (x.Value < int.MinValue || x.Value > int.MaxValue) bad(b, i, "a CO-RE field offset must fit a 32-bit immediate");
                break;
            case LoadInst x:
                if (x.Size is not (1 or 2 or 4 or 8)) bad(b, i, $"load of {x.Size} bytes; use 1, 2, 4 or 8");
                if (x.Size == 8 && x.Dst.Width != Width.W64) bad(b, i, "an 8-byte load needs a 64-bit register");
                if (x.SignExtend && x.Size == 8) bad(b, i, "a sign-extending load of 8 bytes");
                if (!x.Base.IsPointer) bad(b, i, $"load base {x.Base} is not a pointer");
                break;
            case StoreInst x:
                if (x.Size is not (1 or 2 or 4 or 8)) bad(b, i, $"store of {x.Size} bytes; use 1, 2, 4 or 8");
                if (!x.Base.IsPointer) bad(b, i, $"store base {x.Base} is not a pointer");
                break;
            case AtomicInst x:
                if (x.Size is not (4 or 8)) bad(b, i, $"atomic of {x.Size} bytes; eBPF atomics are 4 or 8 bytes");
                if (!x.Base.IsPointer) bad(b, i, $"atomic base {x.Base} is not a pointer");
                bool fetches = x.Op is AtomicRmwOp.FetchAdd or AtomicRmwOp.FetchAnd or AtomicRmwOp.FetchOr or AtomicRmwOp.FetchXor or AtomicRmwOp.Xchg or AtomicRmwOp.CmpXchg;
                if (!fetches && x.Dst is not null) bad(b, i, $"{x.Op} returns nothing; use the Fetch form");
                if ((x.Op == AtomicRmwOp.CmpXchg) != (x.Expected is not null)) bad(b, i, "cmpxchg (and only cmpxchg) takes an expected value");
                break;
            case FrameAddrInst x:
                if (!slots.Contains(x.Slot)) bad(b, i, $"frame slot {x.Slot} belongs to another function");
                if (!x.Dst.IsPointer) bad(b, i, "frame address into a non-pointer register");
                break;
            case MapAddrInst x:
                if (!x.Dst.IsPointer) bad(b, i, "map address into a non-pointer register");
                break;
            case GlobalAddrInst x:
                if (!x.Dst.IsPointer) bad(b, i, "global address into a non-pointer register");
                break;
            case CallInst x:
                if (x.Args.Length > 5) bad(b, i, $"{x.Args.Length} arguments; eBPF passes at most 5");
                if (x.Callee.Params.Count != x.Args.Length && !(x.Callee.Kind == FunctionKind.Helper && x.Callee.Params.Count == 0))
                    bad(b, i, $"{x.Callee.Name} takes {x.Callee.Params.Count} arguments, {x.Args.Length} passed");
                if (x.Dst is not null && x.Callee.ReturnType is VoidType) bad(b, i, $"{x.Callee.Name} returns void");
                if (x.Callee == f && f.Kind != FunctionKind.Helper) bad(b, i, "recursion: eBPF forbids recursive calls");
                break;
            case ReturnInst x:
                bool isVoid = f.ReturnType is VoidType;
                if (isVoid && x.Value is not null) bad(b, i, "a void function returns a value");
                if (!isVoid && x.Value is null) bad(b, i, $"{f.Name} must return a {f.ReturnType}");
                break;
        }
    }
}
