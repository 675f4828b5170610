using System;
using System.Collections.Generic;
using CSharpBpf.Object.Isa;
using CSharpBpf.Vm.Maps;

namespace CSharpBpf.Vm.Execution;

/// <summary>
/// A program decoded once for both engines: dense uops, immediates pre-extended into constant
/// slots of the register file (slot 11 + i for instruction i), absolute jump targets, and the
/// instruction budget's charge per entry point. Instructions that are invalid (bad opcode, bad
/// register, jump out of range, unresolved map) decode to <see cref="Uop.Invalid"/> with a reason and
/// fail only when executed, as unreachable garbage would in any CPU.
/// </summary>
internal sealed class DecodedProgram
{
    public const int RegisterCount = 11;

    private DecodedProgram(int n)
    {
        // Pinned so the interpreter can walk them with raw pointers for the whole run.
        Code = GC.AllocateArray<DecodedInsn>(n + 1, pinned: true);
        Constants = new ulong[n + 1];
        Charge = GC.AllocateArray<int>(n + 1, pinned: true);
        File = GC.AllocateArray<ulong>(RegisterCount + n + 1, pinned: true);
    }

    /// <summary>One entry per slot plus a sentinel that reports falling off the end.</summary>
    public DecodedInsn[] Code { get; }

    /// <summary>Constants[i] is the file slot 11 + i: instruction i's immediate, extended as its class requires.</summary>
    public ulong[] Constants { get; }

    /// <summary>
    /// Charge[i]: how many slots run from i up to and including the next control transfer. The
    /// budget is charged at program entry, function entry and after every jump, call and return, so
    /// each straight run is charged once and the sum equals the slots executed.
    /// </summary>
    public int[] Charge { get; }

    /// <summary>The interpreter's register file: r0..r10, then <see cref="Constants"/> (pinned).</summary>
    public ulong[] File { get; }

    public Dictionary<int, string> InvalidReasons { get; } = new();

    /// <summary>Slot indices that start a function: 0, local-call targets and BPF_PSEUDO_FUNC targets.</summary>
    public SortedSet<int> FunctionEntries { get; } = new() { 0 };

    public int Length => Code.Length - 1;

    public string ReasonAt(int pc) => InvalidReasons.TryGetValue(pc, out var r) ? r : "invalid instruction";

    public static DecodedProgram Decode(IReadOnlyList<Instruction> insns, ProgramReferences refs, ulong codeBase)
    {
        int n = insns.Count;
        var p = new DecodedProgram(n);
        for (int i = 0; i < n; i++)
        {
            string? error = p.DecodeOne(insns, i, refs, codeBase);
            if (error is not null)
            {
                p.Code[i] = new DecodedInsn { Op = Uop.Invalid };
                p.InvalidReasons[i] = error;
            }
            if (insns[i].IsWideLoad && i + 1 < n)
            {
                // The second slot is data: jumping into it is an error, reported when reached.
                i++;
                p.Code[i] = new DecodedInsn { Op = Uop.Invalid };
                p.InvalidReasons[i] = "execution reached the second slot of a 64-bit immediate load";
            }
        }
        p.Code[n] = new DecodedInsn { Op = Uop.Invalid };
        p.InvalidReasons[n] = "execution fell off the end of the program (no exit)";
        p.ComputeCharges();
        p.Constants.CopyTo(p.File, RegisterCount);
        return p;
    }

    private static bool IsTransfer(Uop op) => op is >= Uop.Ja and <= Uop.Exit or Uop.Invalid;

    private void ComputeCharges()
    {
        // Walk backwards: a transfer (or invalid slot) costs 1; anything else costs 1 + the next slot's run.
        // LD_IMM64's second slot is Invalid, so LdImm64 itself gets 2 + the run after it.
        for (int i = Code.Length - 1; i >= 0; i--)
        {
            if (IsTransfer(Code[i].Op) || i == Code.Length - 1) Charge[i] = 1;
            else if (Code[i].Op == Uop.LdImm64) Charge[i] = 2 + (i + 2 < Code.Length ? Charge[i + 2] : 0);
            else Charge[i] = 1 + Charge[i + 1];
        }
    }

    private int Slot(int i) => RegisterCount + i;

    private string? DecodeOne(IReadOnlyList<Instruction> insns, int i, ProgramReferences refs, ulong codeBase)
    {
        var insn = insns[i];
        ref var d = ref Code[i];
        d.D = insn.Dst;
        d.Off = insn.Offset;
        d.Imm = insn.Imm;
        byte op = insn.Opcode;
        bool x = (op & 0x08) != 0;
        var cls = insn.Class;
        if (insn.Dst > 10) return $"invalid destination register r{insn.Dst}";

        switch (cls)
        {
            case InstructionClass.Alu64:
            case InstructionClass.Alu:
            {
                bool is64 = cls == InstructionClass.Alu64;
                if (x && insn.Src > 10) return $"invalid source register r{insn.Src}";
                d.S = x ? insn.Src : Slot(i);
                Constants[i] = is64 ? (ulong)(long)insn.Imm : (uint)insn.Imm;
                var aluOp = insn.AluOp;
                Uop u;
                switch (aluOp)
                {
                    case AluOp.Div or AluOp.Mod:
                        if (insn.Offset is not (0 or 1)) return $"{aluOp} offset must be 0 (unsigned) or 1 (signed), not {insn.Offset}";
                        u = (aluOp, insn.Offset == 1, is64) switch
                        {
                            (AluOp.Div, false, true) => Uop.Div64, (AluOp.Div, true, true) => Uop.SDiv64,
                            (AluOp.Mod, false, true) => Uop.Mod64, (AluOp.Mod, true, true) => Uop.SMod64,
                            (AluOp.Div, false, false) => Uop.Div32, (AluOp.Div, true, false) => Uop.SDiv32,
                            (AluOp.Mod, false, false) => Uop.Mod32, _ => Uop.SMod32,
                        };
                        break;
                    case AluOp.Mov:
                        if (insn.Offset == 0) u = is64 ? Uop.Mov64 : Uop.Mov32;
                        else if (!x) return "movsx takes a register source";
                        else u = (insn.Offset, is64) switch
                        {
                            (8, true) => Uop.Movsx64x8, (16, true) => Uop.Movsx64x16, (32, true) => Uop.Movsx64x32,
                            (8, false) => Uop.Movsx32x8, (16, false) => Uop.Movsx32x16,
                            _ => Uop.Invalid,
                        };
                        if (u == Uop.Invalid) return $"movsx offset must be 8, 16{(is64 ? " or 32" : "")}, not {insn.Offset}";
                        break;
                    case AluOp.End:
                        if (insn.Imm is not (16 or 32 or 64)) return $"byte swap width must be 16, 32 or 64, not {insn.Imm}";
                        if (is64 && x) return "ALU64 END must use source K (bswap)";
                        u = is64 ? (insn.Imm == 16 ? Uop.Bswap16 : insn.Imm == 32 ? Uop.Bswap32 : Uop.Bswap64)
                            : x ? (insn.Imm == 16 ? Uop.Be16 : insn.Imm == 32 ? Uop.Be32 : Uop.Be64)
                            : (insn.Imm == 16 ? Uop.Le16 : insn.Imm == 32 ? Uop.Le32 : Uop.Le64);
                        break;
                    case AluOp.Neg:
                        if (x) return "NEG must use source K";
                        u = is64 ? Uop.Neg64 : Uop.Neg32;
                        break;
                    default:
                        if ((byte)aluOp >= 0xe0) return $"unknown ALU operation 0x{(byte)aluOp:x2}";
                        if (insn.Offset != 0) return $"offset must be 0 for {aluOp}";
                        u = aluOp switch
                        {
                            AluOp.Add => Uop.Add64, AluOp.Sub => Uop.Sub64, AluOp.Mul => Uop.Mul64, AluOp.Or => Uop.Or64,
                            AluOp.And => Uop.And64, AluOp.Lsh => Uop.Lsh64, AluOp.Rsh => Uop.Rsh64, AluOp.Xor => Uop.Xor64,
                            _ => Uop.Arsh64,
                        };
                        if (!is64) u = (Uop)((int)u - (int)Uop.Add64 + (int)Uop.Add32);
                        break;
                }
                d.Op = u;
                return null;
            }
            case InstructionClass.Jmp:
            case InstructionClass.Jmp32:
                return DecodeJump(insns, i, ref d, cls == InstructionClass.Jmp32, x, refs);
            case InstructionClass.Ld:
                return DecodeLd(insns, i, ref d, refs, codeBase);
            case InstructionClass.Ldx:
            {
                if (insn.Src > 10) return $"invalid source register r{insn.Src}";
                d.S = insn.Src;
                if (insn.Mode == MemMode.Mem)
                    d.Op = insn.Size switch { MemSize.B => Uop.Ldx8, MemSize.H => Uop.Ldx16, MemSize.W => Uop.Ldx32, _ => Uop.Ldx64 };
                else if (insn.Mode == MemMode.MemSx && insn.Size != MemSize.DW)
                    d.Op = insn.Size switch { MemSize.B => Uop.Ldsx8, MemSize.H => Uop.Ldsx16, _ => Uop.Ldsx32 };
                else return $"LDX with mode 0x{(byte)insn.Mode:x2} size 0x{(byte)insn.Size:x2} is not defined";
                return null;
            }
            case InstructionClass.St:
                if (insn.Mode != MemMode.Mem) return $"ST with mode 0x{(byte)insn.Mode:x2} is not defined";
                d.S = Slot(i);
                Constants[i] = (ulong)(long)insn.Imm;
                d.Op = insn.Size switch { MemSize.B => Uop.St8, MemSize.H => Uop.St16, MemSize.W => Uop.St32, _ => Uop.St64 };
                return null;
            default: // Stx
                if (insn.Src > 10) return $"invalid source register r{insn.Src}";
                d.S = insn.Src;
                if (insn.Mode == MemMode.Mem)
                {
                    d.Op = insn.Size switch { MemSize.B => Uop.Stx8, MemSize.H => Uop.Stx16, MemSize.W => Uop.Stx32, _ => Uop.Stx64 };
                    return null;
                }
                if (insn.Mode == MemMode.Atomic && insn.Size is MemSize.W or MemSize.DW)
                {
                    if (!Enum.IsDefined(typeof(AtomicOp), insn.Imm)) return $"unknown atomic operation 0x{insn.Imm:x}";
                    d.Op = insn.Size == MemSize.W ? Uop.Atomic32 : Uop.Atomic64;
                    return null;
                }
                return $"STX with mode 0x{(byte)insn.Mode:x2} size 0x{(byte)insn.Size:x2} is not defined";
        }
    }

    private string? DecodeJump(IReadOnlyList<Instruction> insns, int i, ref DecodedInsn d, bool is32, bool x, ProgramReferences refs)
    {
        var insn = insns[i];
        var jop = insn.JmpOp;
        int n = insns.Count;
        if (jop == JmpOp.Ja)
        {
            d.Op = Uop.Ja;
            long target = (long)i + 1 + (is32 ? insn.Imm : insn.Offset);
            return SetTarget(ref d, target, n);
        }
        if (jop == JmpOp.Call)
        {
            if (is32) return "CALL is not defined for class JMP32";
            if (x)
            {
                d.Op = Uop.Callx;
                return null;
            }
            switch ((CallKind)insn.Src)
            {
                case CallKind.Helper:
                    d.Op = insn.Imm == 12 ? Uop.TailCall : Uop.CallHelper;
                    return null;
                case CallKind.Local:
                    d.Op = Uop.CallLocal;
                    long t = (long)i + 1 + insn.Imm;
                    string? e = SetTarget(ref d, t, n);
                    if (e is null) FunctionEntries.Add(d.Target);
                    return e;
                case CallKind.Kfunc:
                    d.Op = Uop.CallKfunc;
                    return null;
                default:
                    return $"CALL with src {insn.Src} is not defined";
            }
        }
        if (jop == JmpOp.Exit)
        {
            if (is32 || x) return "EXIT is only defined as JMP|K";
            d.Op = Uop.Exit;
            return null;
        }
        if ((byte)jop >= 0xe0) return $"unknown jump operation 0x{(byte)jop:x2}";
        if (x && insn.Src > 10) return $"invalid source register r{insn.Src}";
        d.S = x ? insn.Src : Slot(i);
        Constants[i] = (ulong)(long)insn.Imm;
        Uop u = jop switch
        {
            JmpOp.Jeq => Uop.Jeq64, JmpOp.Jgt => Uop.Jgt64, JmpOp.Jge => Uop.Jge64, JmpOp.Jset => Uop.Jset64,
            JmpOp.Jne => Uop.Jne64, JmpOp.Jsgt => Uop.Jsgt64, JmpOp.Jsge => Uop.Jsge64, JmpOp.Jlt => Uop.Jlt64,
            JmpOp.Jle => Uop.Jle64, JmpOp.Jslt => Uop.Jslt64, _ => Uop.Jsle64,
        };
        if (is32) u = (Uop)((int)u - (int)Uop.Jeq64 + (int)Uop.Jeq32);
        d.Op = u;
        return SetTarget(ref d, (long)i + 1 + insn.Offset, n);
    }

    private static string? SetTarget(ref DecodedInsn d, long target, int n)
    {
        if (target < 0 || target > n) return $"jump target {target} is outside the program (0..{n - 1})";
        d.Target = (int)target; // target == n is the sentinel: "fell off the end"
        return null;
    }

    private string? DecodeLd(IReadOnlyList<Instruction> insns, int i, ref DecodedInsn d, ProgramReferences refs, ulong codeBase)
    {
        var insn = insns[i];
        if (insn.IsWideLoad)
        {
            if (i + 1 >= insns.Count) return "64-bit immediate load is missing its second slot";
            var next = insns[i + 1];
            if (next.Opcode != 0) return "the second slot of a 64-bit immediate load must have opcode 0";
            d.Op = Uop.LdImm64;
            d.S = Slot(i);
            int imm = insn.Imm, nextImm = next.Imm;
            switch ((PseudoSource)insn.Src)
            {
                case PseudoSource.Imm64:
                    Constants[i] = (uint)imm | (ulong)(uint)nextImm << 32;
                    return null;
                case PseudoSource.MapFd:
                    if (!refs.MapsByFd.TryGetValue(imm, out var m1)) return $"no map with fd {imm} was supplied to the load";
                    Constants[i] = m1.Address;
                    return null;
                case PseudoSource.MapIndex:
                    if ((uint)imm >= (uint)refs.MapsByIndex.Count) return $"no map at fd_array index {imm}";
                    Constants[i] = refs.MapsByIndex[imm].Address;
                    return null;
                case PseudoSource.MapValue:
                case PseudoSource.MapIndexValue:
                {
                    BpfMap? m;
                    if ((PseudoSource)insn.Src == PseudoSource.MapValue) refs.MapsByFd.TryGetValue(imm, out m);
                    else m = (uint)imm < (uint)refs.MapsByIndex.Count ? refs.MapsByIndex[imm] : null;
                    if (m is null) return $"no map {imm} was supplied to the load";
                    if (!m.TryGetDirectValueAddress((uint)nextImm, out ulong a)) return $"map '{m.Name}' has no direct value access at offset {nextImm}";
                    Constants[i] = a;
                    return null;
                }
                case PseudoSource.BtfId:
                    if (!refs.KsymsByBtfId.TryGetValue(imm, out ulong ksym)) return $"no kernel symbol with BTF id {imm}";
                    Constants[i] = ksym;
                    return null;
                case PseudoSource.Func:
                {
                    long t = (long)i + 1 + imm;
                    if (t < 0 || t >= insns.Count) return $"function reference {t} is outside the program";
                    FunctionEntries.Add((int)t);
                    Constants[i] = codeBase + (ulong)t * 8;
                    return null;
                }
                default:
                    return $"64-bit immediate load with src {insn.Src} is not defined";
            }
        }
        if (insn.Mode is MemMode.Abs or MemMode.Ind && insn.Size != MemSize.DW)
        {
            bool ind = insn.Mode == MemMode.Ind;
            if (ind && insn.Src > 10) return $"invalid source register r{insn.Src}";
            d.S = insn.Src;
            d.Op = (insn.Size, ind) switch
            {
                (MemSize.B, false) => Uop.LdAbs8, (MemSize.H, false) => Uop.LdAbs16, (MemSize.W, false) => Uop.LdAbs32,
                (MemSize.B, true) => Uop.LdInd8, (MemSize.H, true) => Uop.LdInd16, _ => Uop.LdInd32,
            };
            return null;
        }
        return $"LD with opcode 0x{insn.Opcode:x2} is not defined";
    }
}
