using System.Collections.Generic;
using CSharpBpf.Vm.Execution;

namespace CSharpBpf.Vm.Jit;

/// <summary>
/// Which eBPF registers (a bit per r0..r10) are live after each instruction of one function, by
/// backward dataflow over its reachable slots. The JIT uses it on the cold paths of loads and
/// stores: it parks exactly the live registers in memory around the out-of-line call there, so no
/// IL local is live across that call. Otherwise the .NET register allocator keeps the registers of
/// a whole loop in stack slots because of a call the loop almost never makes.
/// The answer only steers performance: a register wrongly reported dead keeps its value anyway
/// (the local is simply not parked), one wrongly reported live costs a store and a load. So where
/// an instruction's effect is unclear the analysis errs towards "used" and "not defined".
/// </summary>
internal sealed class RegisterLiveness
{
    private const ushort AllRegisters = (1 << DecodedProgram.RegisterCount) - 1;
    private const ushort ArgumentRegisters = 0b11_1110; // r1..r5
    private const ushort CallerSaved = 0b11_1111; // r0..r5
    private const ushort FramePointer = 1 << 10;

    private readonly Dictionary<int, ushort> _liveOut = new();

    public RegisterLiveness(DecodedProgram program, IReadOnlyCollection<int> reachable)
    {
        var code = program.Code;
        var liveIn = new Dictionary<int, ushort>();
        foreach (int pc in reachable) liveIn[pc] = 0;
        var order = new List<int>(reachable);
        order.Reverse();
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (int pc in order)
            {
                ushort outSet = 0;
                foreach (int next in Successors(code[pc], pc))
                    if (liveIn.TryGetValue(next, out ushort l)) outSet |= l;
                _liveOut[pc] = outSet;
                var (use, def) = UseDef(code[pc]);
                ushort inSet = (ushort)(use | (outSet & ~def));
                if (inSet != liveIn[pc])
                {
                    liveIn[pc] = inSet;
                    changed = true;
                }
            }
        }
    }

    /// <summary>Registers live after the instruction at <paramref name="pc"/> (all of them if unknown).</summary>
    public ushort LiveAfter(int pc) => _liveOut.TryGetValue(pc, out ushort l) ? l : AllRegisters;

    private static IEnumerable<int> Successors(in DecodedInsn ins, int pc)
    {
        switch (ins.Op)
        {
            case Uop.Invalid or Uop.Exit: return System.Array.Empty<int>();
            case Uop.Ja: return new[] { ins.Target };
            case >= Uop.Jeq64 and <= Uop.Jsle32: return new[] { ins.Target, pc + 1 };
            case Uop.LdImm64: return new[] { pc + 2 };
            default: return new[] { pc + 1 };
        }
    }

    private static ushort Reg(int slot) => slot < DecodedProgram.RegisterCount ? (ushort)(1 << slot) : (ushort)0;

    private static (ushort Use, ushort Def) UseDef(in DecodedInsn ins)
    {
        ushort d = Reg(ins.D), s = Reg(ins.S);
        switch (ins.Op)
        {
            case Uop.Invalid or Uop.Ja: return (0, 0);
            case Uop.Mov64 or Uop.Mov32 or Uop.Movsx64x8 or Uop.Movsx64x16 or Uop.Movsx64x32 or Uop.Movsx32x8 or Uop.Movsx32x16:
                return (s, d);
            case Uop.Neg64 or Uop.Neg32 or Uop.Bswap16 or Uop.Bswap32 or Uop.Bswap64
                or Uop.Le16 or Uop.Le32 or Uop.Le64 or Uop.Be16 or Uop.Be32 or Uop.Be64:
                return (d, d);
            case >= Uop.Add64 and <= Uop.Arsh32: return ((ushort)(d | s), d);
            case >= Uop.Jeq64 and <= Uop.Jsle32: return ((ushort)(d | s), 0);
            case Uop.CallHelper or Uop.CallKfunc: return (ArgumentRegisters, CallerSaved);
            case Uop.CallLocal: return (ArgumentRegisters | FramePointer, CallerSaved);
            case Uop.Callx: return ((ushort)(d | ArgumentRegisters | FramePointer), CallerSaved);
            case Uop.TailCall: return (ArgumentRegisters | FramePointer, 0);
            case Uop.Exit: return (1, 0);
            case Uop.LdImm64: return (0, d);
            case >= Uop.Ldx8 and <= Uop.Ldsx32: return (s, d);
            case >= Uop.St8 and <= Uop.St64: return (d, 0);
            case >= Uop.Stx8 and <= Uop.Stx64: return ((ushort)(d | s), 0);
            case Uop.Atomic32 or Uop.Atomic64: return ((ushort)(d | s | 1), 0);
            case >= Uop.LdAbs8 and <= Uop.LdInd32: return ((ushort)(s | (1 << 6)), 1);
            default: return (AllRegisters, 0);
        }
    }
}
