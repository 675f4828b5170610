using System.Collections.Generic;

namespace CSharpBpf.Object.Isa;

/// <summary>
/// The table of every instruction form of RFC 9669 (base..v4) plus the later additions LLVM 22 and
/// Linux 6.18 know (may_goto, gotox, load_acquire/store_release, addr_space_cast), with
/// llvm-objdump-22's spelling of each. Order matters within an opcode: the printer takes the first
/// form that fits, so exact forms come before the lossy llvm-only fallbacks and before wider
/// lossless spellings.
/// </summary>
internal static class InstructionForms
{

    public static IReadOnlyList<InstructionForm> ForOpcode(byte opcode) =>
        ByOpcode.TryGetValue(opcode, out var forms) ? forms : (IReadOnlyList<InstructionForm>)System.Array.Empty<InstructionForm>();

    static Dictionary<byte, List<InstructionForm>> Index()
    {
        var map = new Dictionary<byte, List<InstructionForm>>();
        foreach (var f in All)
        {
            if (!map.TryGetValue(f.Opcode, out var list)) map[f.Opcode] = list = new List<InstructionForm>();
            list.Add(f);
        }
        return map;
    }

    static readonly (AluOp Op, string Text)[] AluOps =
    {
        (AluOp.Add, "+="), (AluOp.Sub, "-="), (AluOp.Mul, "*="), (AluOp.Div, "/="), (AluOp.Or, "|="),
        (AluOp.And, "&="), (AluOp.Lsh, "<<="), (AluOp.Rsh, ">>="), (AluOp.Mod, "%="), (AluOp.Xor, "^="),
        (AluOp.Mov, "="), (AluOp.Arsh, "s>>="),
    };

    static readonly (JmpOp Op, string Text)[] CondOps =
    {
        (JmpOp.Jeq, "=="), (JmpOp.Jgt, ">"), (JmpOp.Jge, ">="), (JmpOp.Jset, "&"), (JmpOp.Jne, "!="),
        (JmpOp.Jsgt, "s>"), (JmpOp.Jsge, "s>="), (JmpOp.Jlt, "<"), (JmpOp.Jle, "<="), (JmpOp.Jslt, "s<"),
        (JmpOp.Jsle, "s<="),
    };

    static readonly (MemSize Size, int Bits)[] Sizes = { (MemSize.B, 8), (MemSize.H, 16), (MemSize.W, 32), (MemSize.DW, 64) };

    static readonly (AtomicOp Op, string Text)[] LockOps =
        { (AtomicOp.Add, "+="), (AtomicOp.Or, "|="), (AtomicOp.And, "&="), (AtomicOp.Xor, "^=") };

    static readonly (AtomicOp Op, string Name)[] FetchOps =
    {
        (AtomicOp.FetchAdd, "atomic_fetch_add"), (AtomicOp.FetchOr, "atomic_fetch_or"),
        (AtomicOp.FetchAnd, "atomic_fetch_and"), (AtomicOp.FetchXor, "atomic_fetch_xor"),
    };

    static List<InstructionForm> Build()
    {
        var f = new List<InstructionForm>();
        AddAlu(f, InstructionClass.Alu64, "r");
        AddAlu(f, InstructionClass.Alu, "w");
        AddJumps(f, InstructionClass.Jmp, "r");
        AddJumps(f, InstructionClass.Jmp32, "w");
        AddControl(f);
        AddLoadsAndStores(f);
        AddAtomics(f);
        AddWideLoads(f);
        return f;
    }

    static void AddAlu(List<InstructionForm> f, InstructionClass cls, string r)
    {
        byte c = (byte)cls;
        foreach (var (op, text) in AluOps)
        {
            f.Add(new((byte)(c | (byte)op), $"${r}d {text} $imm"));
            f.Add(new((byte)(c | (byte)op | 0x08), $"${r}d {text} ${r}s"));
        }
        foreach (var op in new[] { AluOp.Div, AluOp.Mod })
        {
            string text = op == AluOp.Div ? "s/=" : "s%=";
            f.Add(new((byte)(c | (byte)op), $"${r}d {text} $imm", offset: 1));
            f.Add(new((byte)(c | (byte)op | 0x08), $"${r}d {text} ${r}s", offset: 1));
        }
        f.Add(new((byte)(c | (byte)AluOp.Neg), $"${r}d = -${r}d"));
        byte movX = (byte)(c | (byte)AluOp.Mov | 0x08);
        foreach (int bits in cls == InstructionClass.Alu64 ? new[] { 8, 16, 32 } : new[] { 8, 16 })
            f.Add(new(movX, $"${r}d = (s{bits})${r}s", offset: (short)bits));
        if (cls == InstructionClass.Alu64)
            f.Add(new(movX, "$rd = addr_space_cast($rs, $ashi, $aslo)", offset: 1));

        // Byte swaps: llvm prints r registers for all three, whatever the class.
        byte end = (byte)(c | (byte)AluOp.End);
        foreach (int bits in new[] { 16, 32, 64 })
        {
            if (cls == InstructionClass.Alu64)
                f.Add(new(end, $"$rd = bswap{bits} $rd", imm: bits));
            else
            {
                f.Add(new(end, $"$rd = le{bits} $rd", imm: bits));
                f.Add(new((byte)(end | 0x08), $"$rd = be{bits} $rd", imm: bits));
            }
        }
    }

    static void AddJumps(List<InstructionForm> f, InstructionClass cls, string r)
    {
        byte c = (byte)cls;
        foreach (var (op, text) in CondOps)
        {
            f.Add(new((byte)(c | (byte)op), $"if ${r}d {text} $imm goto $tgt"));
            f.Add(new((byte)(c | (byte)op | 0x08), $"if ${r}d {text} ${r}s goto $tgt"));
        }
    }

    static void AddControl(List<InstructionForm> f)
    {
        const byte jmp = (byte)InstructionClass.Jmp;
        f.Add(new(jmp | (byte)JmpOp.Ja, "goto $tgt"));
        f.Add(new((byte)InstructionClass.Jmp32 | (byte)JmpOp.Ja, "gotol $ctgt"));
        f.Add(new(jmp | (byte)JmpOp.Ja | 0x08, "gotox $rd"));
        f.Add(new(jmp | (byte)JmpOp.Jcond, "may_goto $tgt"));
        f.Add(new(jmp | (byte)JmpOp.Exit, "exit"));

        byte call = Insns.CallOpcode;
        f.Add(new(call, "call $imm"));
        f.Add(new(call, "call pc$ctgt", FormSyntax.LosslessOnly, src: (byte)CallKind.Local));
        f.Add(new(call, "call $label", FormSyntax.InputOnly, src: (byte)CallKind.Local)); // bpf-to-bpf call by label
        f.Add(new(call, "call $imm", FormSyntax.LlvmOnly, src: (byte)CallKind.Local));
        f.Add(new(call, "call kfunc $imm", FormSyntax.LosslessOnly, src: (byte)CallKind.Kfunc));
        f.Add(new(call, "call kfunc $imm, $offn", FormSyntax.LosslessOnly, src: (byte)CallKind.Kfunc));
        f.Add(new(call, "call $imm", FormSyntax.LlvmOnly, src: (byte)CallKind.Kfunc, ignored: InsnField.Offset));
        f.Add(new((byte)(call | 0x08), "callx $rd"));
    }

    static void AddLoadsAndStores(List<InstructionForm> f)
    {
        foreach (var (size, bits) in Sizes)
        {
            string r = size == MemSize.DW ? "r" : "w";
            byte s = (byte)size;
            f.Add(new((byte)((byte)InstructionClass.Ldx | s | (byte)MemMode.Mem), $"${r}d = *(u{bits} *)($rs $moff)"));
            f.Add(new((byte)((byte)InstructionClass.St | s | (byte)MemMode.Mem), $"*(u{bits} *)($rd $moff) = $imm"));
            f.Add(new((byte)((byte)InstructionClass.Stx | s | (byte)MemMode.Mem), $"*(u{bits} *)($rd $moff) = ${r}s"));
            if (size != MemSize.DW)
            {
                // llvm's assembler also takes the r spelling of sub-64-bit loads and stores.
                f.Add(new((byte)((byte)InstructionClass.Ldx | s | (byte)MemMode.Mem), $"$rd = *(u{bits} *)($rs $moff)", FormSyntax.InputOnly));
                f.Add(new((byte)((byte)InstructionClass.Stx | s | (byte)MemMode.Mem), $"*(u{bits} *)($rd $moff) = $rs", FormSyntax.InputOnly));
                f.Add(new((byte)((byte)InstructionClass.Ldx | s | (byte)MemMode.MemSx), $"$rd = *(s{bits} *)($rs $moff)"));
                byte abs = (byte)((byte)InstructionClass.Ld | s | (byte)MemMode.Abs);
                byte ind = (byte)((byte)InstructionClass.Ld | s | (byte)MemMode.Ind);
                f.Add(new(abs, $"r0 = *(u{bits} *)skb[$imm]"));
                f.Add(new(ind, $"r0 = *(u{bits} *)skb[$rs]"));
                f.Add(new(ind, $"r0 = *(u{bits} *)skb[$rs $mimm]", FormSyntax.LosslessOnly));
                f.Add(new(ind, $"r0 = *(u{bits} *)skb[$rs]", FormSyntax.LlvmOnly, ignored: InsnField.Imm));
            }
        }
    }

    static void AddAtomics(List<InstructionForm> f)
    {
        foreach (var (size, bits) in Sizes)
        {
            string r = size == MemSize.DW ? "r" : "w";
            byte op = (byte)((byte)InstructionClass.Stx | (byte)size | (byte)MemMode.Atomic);
            if (size is MemSize.W or MemSize.DW)
            {
                foreach (var (a, text) in LockOps)
                {
                    f.Add(new(op, $"lock *(u{bits} *)($rd $moff) {text} ${r}s", imm: (int)a));
                    if (size == MemSize.W)
                        f.Add(new(op, $"lock *(u{bits} *)($rd $moff) {text} $rs", FormSyntax.InputOnly, imm: (int)a));
                }
                foreach (var (a, name) in FetchOps)
                    f.Add(new(op, $"${r}s = {name}((u{bits} *)($rd $moff), ${r}s)", imm: (int)a));
                f.Add(new(op, size == MemSize.DW ? "$rs = xchg_64($rd $moff, $rs)" : "$ws = xchg32_32($rd $moff, $ws)", imm: (int)AtomicOp.Xchg));
                f.Add(new(op, size == MemSize.DW ? "r0 = cmpxchg_64($rd $moff, r0, $rs)" : "w0 = cmpxchg32_32($rd $moff, w0, $ws)", imm: (int)AtomicOp.CmpXchg));
            }
            f.Add(new(op, $"${r}d = load_acquire((u{bits} *)($rs $moff))", imm: (int)AtomicOp.LoadAcquire));
            f.Add(new(op, $"store_release((u{bits} *)($rd $moff), ${r}s)", imm: (int)AtomicOp.StoreRelease));
        }
    }

    static void AddWideLoads(List<InstructionForm> f)
    {
        byte op = Insns.WideLoadOpcode;
        f.Add(new(op, "$rd = $imm64 ll"));
        // llvm prints a tab after this mnemonic and the imm unsigned.
        f.Add(new(op, "ld_pseudo\t$rd, $psrc, $uimm"));
        f.Add(new(op, "ld_pseudo\t$rd, $psrc, $uimm, $imm2", FormSyntax.LosslessOnly));
        f.Add(new(op, "ld_pseudo\t$rd, $psrc, $uimm", FormSyntax.LlvmOnly, ignored: InsnField.Imm2));
    }

    // Declared last: static initializers run in textual order and Build() reads the tables above.
    public static readonly IReadOnlyList<InstructionForm> All = Build();

    static readonly Dictionary<byte, List<InstructionForm>> ByOpcode = Index();
}
