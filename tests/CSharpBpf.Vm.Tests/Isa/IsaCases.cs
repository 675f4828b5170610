using System.Collections.Generic;
using CSharpBpf.Object.Isa;
using static CSharpBpf.Object.Isa.Insns;
using static CSharpBpf.Object.Isa.Reg;

namespace CSharpBpf.Vm.Tests.Isa;

/// <summary>
/// RFC 9669 cases: each program leaves its result in r0; the expected values are written out by
/// hand from the RFC's definitions (not computed by the VM's own helpers).
/// </summary>
public static class IsaCases
{
    public static readonly Dictionary<string, (Instruction[] Program, ulong Expected)> All = new();

    private const long IntMin64 = long.MinValue;
    private const int IntMin32 = int.MinValue;

    private static void Add(string name, ulong expected, params object[] items) => All.Add(name, (VmTestBase.Prog(items), expected));

    /// <summary>r0 = a; r1 = b; r0 op= r1 (64-bit immediates through LD_IMM64).</summary>
    private static void Alu64X(string name, AluOp op, long a, long b, ulong expected) =>
        Add(name, expected, LoadImm64(R0, a), LoadImm64(R1, b), Alu64Reg(op, R0, R1), Exit());

    private static void Alu64K(string name, AluOp op, long a, int imm, ulong expected) =>
        Add(name, expected, LoadImm64(R0, a), Alu64Imm(op, R0, imm), Exit());

    private static void Alu32X(string name, AluOp op, long a, long b, ulong expected) =>
        Add(name, expected, LoadImm64(R0, a), LoadImm64(R1, b), Alu32Reg(op, R0, R1), Exit());

    private static void Alu32K(string name, AluOp op, long a, int imm, ulong expected) =>
        Add(name, expected, LoadImm64(R0, a), Alu32Imm(op, R0, imm), Exit());

    static IsaCases()
    {
        // ---- ALU64, register and immediate forms
        Alu64X("add64 reg", AluOp.Add, 0x1_0000_0001, 0xffff_ffff, 0x2_0000_0000);
        Alu64K("add64 imm sign-extends", AluOp.Add, 5, -1, 4);
        Alu64X("add64 wraps", AluOp.Add, -1, 2, 1);
        Alu64X("sub64 reg", AluOp.Sub, 0, 1, ulong.MaxValue);
        Alu64K("sub64 imm", AluOp.Sub, 10, 3, 7);
        Alu64X("mul64 reg", AluOp.Mul, 0x1_0000_0000, 0x10, 0x10_0000_0000);
        Alu64K("mul64 imm negative", AluOp.Mul, 3, -2, unchecked((ulong)-6L));
        Alu64X("div64 reg unsigned", AluOp.Div, -2, 2, 0x7fff_ffff_ffff_ffff);
        Alu64K("div64 imm sign-extended then unsigned", AluOp.Div, -1, -1, 1);
        Alu64X("div64 by zero reg", AluOp.Div, 1234, 0, 0);
        Alu64K("div64 by zero imm", AluOp.Div, 1234, 0, 0);
        Alu64X("or64", AluOp.Or, 0xf0, 0x0f, 0xff);
        Alu64K("or64 imm sign-extends", AluOp.Or, 0, -16, 0xffff_ffff_ffff_fff0);
        Alu64X("and64", AluOp.And, 0x1234_5678_9abc_def0, 0x0000_ffff_0000_ffff, 0x0000_5678_0000_def0);
        Alu64K("and64 imm", AluOp.And, 0xff_ff, 0x0f0f, 0x0f0f);
        Alu64X("lsh64 by 63", AluOp.Lsh, 1, 63, 0x8000_0000_0000_0000);
        Alu64X("lsh64 by 64 is masked to 0", AluOp.Lsh, 0x1234, 64, 0x1234);
        Alu64X("lsh64 by 65 is masked to 1", AluOp.Lsh, 1, 65, 2);
        Alu64K("lsh64 imm", AluOp.Lsh, 3, 4, 48);
        Alu64X("rsh64 logical", AluOp.Rsh, IntMin64, 63, 1);
        Alu64X("rsh64 by 64 is masked to 0", AluOp.Rsh, 0x1234, 64, 0x1234);
        Alu64K("rsh64 imm", AluOp.Rsh, 0x100, 4, 0x10);
        Add("neg64", unchecked((ulong)-5L), Mov64Imm(R0, 5), Neg64(R0), Exit());
        Add("neg64 INT_MIN", 0x8000_0000_0000_0000, LoadImm64(R0, IntMin64), Neg64(R0), Exit());
        Alu64X("mod64 reg", AluOp.Mod, 17, 5, 2);
        Alu64X("mod64 unsigned", AluOp.Mod, -1, 10, 5); // 2^64-1 mod 10
        Alu64X("mod64 by zero leaves dst", AluOp.Mod, 0x1234_5678_9abc, 0, 0x1234_5678_9abc);
        Alu64K("mod64 imm", AluOp.Mod, 100, 7, 2);
        Alu64X("xor64", AluOp.Xor, 0xff00, 0x0ff0, 0xf0f0);
        Alu64K("xor64 imm sign-extends", AluOp.Xor, 0, -1, ulong.MaxValue);
        Alu64X("mov64 reg", AluOp.Mov, 0, 0x1122_3344_5566_7788, 0x1122_3344_5566_7788);
        Alu64K("mov64 imm sign-extends", AluOp.Mov, 0, -1, ulong.MaxValue);
        Alu64X("arsh64 by 63", AluOp.Arsh, IntMin64, 63, ulong.MaxValue);
        Alu64K("arsh64 imm", AluOp.Arsh, -256, 4, unchecked((ulong)-16L));
        Alu64X("arsh64 by 64 is masked to 0", AluOp.Arsh, -2, 64, unchecked((ulong)-2L));

        // ---- ALU32: operands are the low 32 bits, results zero-extend
        Alu32X("add32 wraps and zero-extends", AluOp.Add, 0x7_ffff_ffff, 1, 0);
        Alu32K("add32 imm", AluOp.Add, unchecked((long)0xffff_ffff_0000_0001), 1, 2);
        Alu32X("sub32", AluOp.Sub, 0, 1, 0xffff_ffff);
        Alu32K("sub32 imm", AluOp.Sub, 0x1_0000_0005, 3, 2);
        Alu32X("mul32", AluOp.Mul, 0x1_0001_0000, 0x1_0000, 0);
        Alu32K("mul32 imm", AluOp.Mul, 7, -1, 0xffff_fff9);
        Alu32X("div32 unsigned", AluOp.Div, 0xffff_fffe, 2, 0x7fff_ffff);
        Alu32K("div32 imm is unsigned 32-bit", AluOp.Div, 0xffff_ffff, -1, 1);
        Alu32X("div32 by zero", AluOp.Div, 0x1_2345_6789, 0x1_0000_0000, 0); // divisor's low 32 bits are 0
        Alu32X("or32", AluOp.Or, unchecked((long)0xffff_ffff_0000_0000), 1, 1);
        Alu32X("and32", AluOp.And, -1, -1, 0xffff_ffff);
        Alu32K("lsh32 by 31", AluOp.Lsh, 1, 31, 0x8000_0000);
        Alu32X("lsh32 by 32 is masked to 0", AluOp.Lsh, 0x1_0000_0001, 32, 1);
        Alu32X("lsh32 drops bits above 32", AluOp.Lsh, 0x8000_0001, 1, 2);
        Alu32X("rsh32 uses low 32 bits only", AluOp.Rsh, 0x1_8000_0000, 31, 1);
        Alu32X("rsh32 by 33 is masked to 1", AluOp.Rsh, 8, 33, 4);
        Add("neg32 zero-extends", 0xffff_fffb, Mov64Imm(R0, 5), Neg32(R0), Exit());
        Alu32X("mod32", AluOp.Mod, 0x1_0000_0011, 5, 2); // 17 mod 5
        Alu32X("mod32 by zero keeps low half, zeroes high", AluOp.Mod, unchecked((long)0xffff_ffff_0000_0005), 0, 5);
        Alu32K("mod32 imm by zero", AluOp.Mod, 0x7_0000_0009, 0, 9);
        Alu32X("xor32", AluOp.Xor, unchecked((long)0xffff_ffff_ffff_ffff), 0xffff, 0xffff_0000);
        Alu32X("mov32 reg zero-extends", AluOp.Mov, 0, -1, 0xffff_ffff);
        Alu32K("mov32 imm does not sign-extend", AluOp.Mov, -1, -1, 0xffff_ffff);
        Alu32X("arsh32 by 31", AluOp.Arsh, 0x8000_0000, 31, 0xffff_ffff);
        Alu32K("arsh32 imm", AluOp.Arsh, 0xffff_ff00, 4, 0xffff_fff0);
        Alu32X("arsh32 by 32 is masked to 0", AluOp.Arsh, 0x8000_0000, 32, 0x8000_0000);

        // ---- signed division and modulo (v4), INT_MIN / -1 edges
        Add("sdiv64 negative", unchecked((ulong)-3L), Mov64Imm(R0, -7), Mov64Imm(R1, 2), SDiv64Reg(R0, R1), Exit());
        Add("sdiv64 imm", unchecked((ulong)-3L), Mov64Imm(R0, 7), SDiv64Imm(R0, -2), Exit());
        Add("sdiv64 INT_MIN / -1", 0x8000_0000_0000_0000, LoadImm64(R0, IntMin64), Mov64Imm(R1, -1), SDiv64Reg(R0, R1), Exit());
        Add("sdiv64 imm INT_MIN / -1", 0x8000_0000_0000_0000, LoadImm64(R0, IntMin64), SDiv64Imm(R0, -1), Exit());
        Add("sdiv64 by zero", 0, Mov64Imm(R0, -7), Mov64Imm(R1, 0), SDiv64Reg(R0, R1), Exit());
        Add("smod64 negative dividend", unchecked((ulong)-1L), Mov64Imm(R0, -7), Mov64Imm(R1, 2), SMod64Reg(R0, R1), Exit());
        Add("smod64 negative divisor", 1, Mov64Imm(R0, 7), SMod64Imm(R0, -2), Exit());
        Add("smod64 INT_MIN % -1", 0, LoadImm64(R0, IntMin64), Mov64Imm(R1, -1), SMod64Reg(R0, R1), Exit());
        Add("smod64 by zero leaves dst", unchecked((ulong)-7L), Mov64Imm(R0, -7), SMod64Imm(R0, 0), Exit());
        Add("sdiv32 negative", 0xffff_fffd, Mov32Imm(R0, -7), Mov32Imm(R1, 2), SDiv32Reg(R0, R1), Exit());
        Add("sdiv32 INT_MIN / -1", 0x8000_0000, Mov32Imm(R0, IntMin32), Mov32Imm(R1, -1), SDiv32Reg(R0, R1), Exit());
        Add("sdiv32 imm INT_MIN / -1", 0x8000_0000, Mov32Imm(R0, IntMin32), SDiv32Imm(R0, -1), Exit());
        Add("sdiv32 by zero", 0, Mov32Imm(R0, -7), SDiv32Imm(R0, 0), Exit());
        Add("sdiv32 ignores upper half", 0xffff_fffe, LoadImm64(R0, 0x7_ffff_fffc), SDiv32Imm(R0, 2), Exit()); // -4 / 2
        Add("smod32 negative", 0xffff_ffff, Mov32Imm(R0, -7), SMod32Imm(R0, 2), Exit());
        Add("smod32 INT_MIN % -1", 0, Mov32Imm(R0, IntMin32), Mov32Imm(R1, -1), SMod32Reg(R0, R1), Exit());
        Add("smod32 by zero zero-extends dst", 0xffff_fff9, Mov64Imm(R0, -7), Mov64Imm(R1, 0), SMod32Reg(R0, R1), Exit());

        // ---- movsx (v4): sign extension at every width
        Add("movsx64 8", unchecked((ulong)-128L), Mov64Imm(R1, 0x180), Movsx64(R0, R1, 8), Exit());
        Add("movsx64 8 positive", 0x7f, Mov64Imm(R1, 0x17f), Movsx64(R0, R1, 8), Exit());
        Add("movsx64 16", unchecked((ulong)-32768L), Mov64Imm(R1, 0x18000), Movsx64(R0, R1, 16), Exit());
        Add("movsx64 32", 0xffff_ffff_8000_0000, LoadImm64(R1, 0x1_8000_0000), Movsx64(R0, R1, 32), Exit());
        Add("movsx32 8 zero-extends the 32-bit result", 0xffff_ff80, Mov64Imm(R1, 0x80), Movsx32(R0, R1, 8), Exit());
        Add("movsx32 16", 0xffff_8000, Mov64Imm(R1, 0x8000), Movsx32(R0, R1, 16), Exit());

        // ---- byte swaps
        Add("le16 truncates", 0x7788, LoadImm64(R0, 0x1122_3344_5566_7788), ToLe(R0, 16), Exit());
        Add("le32 truncates", 0x5566_7788, LoadImm64(R0, 0x1122_3344_5566_7788), ToLe(R0, 32), Exit());
        Add("le64 no-op", 0x1122_3344_5566_7788, LoadImm64(R0, 0x1122_3344_5566_7788), ToLe(R0, 64), Exit());
        Add("be16 swaps and truncates", 0x8877, LoadImm64(R0, 0x1122_3344_5566_7788), ToBe(R0, 16), Exit());
        Add("be32", 0x8877_6655, LoadImm64(R0, 0x1122_3344_5566_7788), ToBe(R0, 32), Exit());
        Add("be64", 0x8877_6655_4433_2211, LoadImm64(R0, 0x1122_3344_5566_7788), ToBe(R0, 64), Exit());
        Add("bswap16", 0x8877, LoadImm64(R0, 0x1122_3344_5566_7788), Bswap(R0, 16), Exit());
        Add("bswap32", 0x8877_6655, LoadImm64(R0, 0x1122_3344_5566_7788), Bswap(R0, 32), Exit());
        Add("bswap64", 0x8877_6655_4433_2211, LoadImm64(R0, 0x1122_3344_5566_7788), Bswap(R0, 64), Exit());

        // ---- LD_IMM64
        Add("lddw", 0x8000_0000_ffff_ffff, LoadImm64(R0, unchecked((long)0x8000_0000_ffff_ffff)), Exit());

        // ---- jumps: every condition, 64 and 32 bit, register and immediate, taken and not
        Jumps();

        Add("ja", 1, Mov64Imm(R0, 1), Ja(1), Mov64Imm(R0, 2), Exit());
        Add("gotol (JMP32 JA, imm offset)", 1, Mov64Imm(R0, 1), Gotol(1), Mov64Imm(R0, 2), Exit());
        Add("ja backwards loop", 5, Mov64Imm(R0, 0), Alu64Imm(AluOp.Add, R0, 1), JmpImm(JmpOp.Jlt, R0, 5, -2), Exit());

        // ---- memory: stores and loads of every width on the stack
        Add("stx/ldx dw", 0x1122_3344_5566_7788, LoadImm64(R1, 0x1122_3344_5566_7788), Stx(MemSize.DW, R10, R1, -8), Ldx(MemSize.DW, R0, R10, -8), Exit());
        Add("stx w / ldx w zero-extends", 0x8899_aabb, LoadImm64(R1, unchecked((long)0xffff_ffff_8899_aabb)), Stx(MemSize.W, R10, R1, -4), Ldx(MemSize.W, R0, R10, -4), Exit());
        Add("stx h / ldx h", 0xaabb, Mov64Imm(R1, 0x1aabb), Stx(MemSize.H, R10, R1, -2), Ldx(MemSize.H, R0, R10, -2), Exit());
        Add("stx b / ldx b", 0xbb, Mov64Imm(R1, 0x1bb), Stx(MemSize.B, R10, R1, -1), Ldx(MemSize.B, R0, R10, -1), Exit());
        Add("st dw imm sign-extends", ulong.MaxValue, St(MemSize.DW, R10, -8, -1), Ldx(MemSize.DW, R0, R10, -8), Exit());
        Add("st w imm", 0x8000_0000, St(MemSize.DW, R10, -8, 0), St(MemSize.W, R10, -8, IntMin32), Ldx(MemSize.DW, R0, R10, -8), Exit());
        Add("little-endian layout", 0x44, LoadImm64(R1, 0x11223344), Stx(MemSize.W, R10, R1, -4), Ldx(MemSize.B, R0, R10, -4), Exit());
        Add("ldsx b", unchecked((ulong)-128L), St(MemSize.B, R10, -1, 0x80), Ldsx(MemSize.B, R0, R10, -1), Exit());
        Add("ldsx h", unchecked((ulong)-2L), St(MemSize.H, R10, -2, 0xfffe), Ldsx(MemSize.H, R0, R10, -2), Exit());
        Add("ldsx w", 0xffff_ffff_8000_0001, St(MemSize.W, R10, -4, unchecked((int)0x8000_0001)), Ldsx(MemSize.W, R0, R10, -4), Exit());
        Add("ldsx b positive", 0x7f, St(MemSize.B, R10, -1, 0x7f), Ldsx(MemSize.B, R0, R10, -1), Exit());

        // ---- atomics (RFC 9669 §5.3), 32 and 64 bit
        Atomic("atomic add dw", MemSize.DW, AtomicOp.Add, 10, 5, 15, 5);
        Atomic("atomic add w wraps in 32 bits", MemSize.W, AtomicOp.Add, 0xffff_ffff, 2, 1, 2);
        Atomic("atomic or", MemSize.DW, AtomicOp.Or, 0xf0, 0x0f, 0xff, 0x0f);
        Atomic("atomic and", MemSize.W, AtomicOp.And, 0xff, 0x0f, 0x0f, 0x0f);
        Atomic("atomic xor", MemSize.DW, AtomicOp.Xor, 0xff, 0x0f, 0xf0, 0x0f);
        Atomic("atomic fetch_add dw", MemSize.DW, AtomicOp.FetchAdd, 10, 5, 15, 10);
        Atomic("atomic fetch_add w zero-extends old", MemSize.W, AtomicOp.FetchAdd, 0x8000_0000, 1, 0x8000_0001, 0x8000_0000);
        Atomic("atomic fetch_or", MemSize.W, AtomicOp.FetchOr, 0xf0, 0x0f, 0xff, 0xf0);
        Atomic("atomic fetch_and", MemSize.DW, AtomicOp.FetchAnd, 0xff, 0x0f, 0x0f, 0xff);
        Atomic("atomic fetch_xor", MemSize.W, AtomicOp.FetchXor, 0xff, 0x0f, 0xf0, 0xff);
        Atomic("atomic xchg dw", MemSize.DW, AtomicOp.Xchg, 7, 9, 9, 7);
        Atomic("atomic xchg w", MemSize.W, AtomicOp.Xchg, 7, 9, 9, 7);
        // cmpxchg: r0 is the expected value, old value lands in r0
        Add("cmpxchg dw success: memory", 42, St(MemSize.DW, R10, -8, 7), Mov64Imm(R0, 7), Mov64Imm(R1, 42), AtomicCmpXchg(MemSize.DW, R10, R1, -8), Ldx(MemSize.DW, R0, R10, -8), Exit());
        Add("cmpxchg dw success: r0 = old", 7, St(MemSize.DW, R10, -8, 7), Mov64Imm(R0, 7), Mov64Imm(R1, 42), AtomicCmpXchg(MemSize.DW, R10, R1, -8), Exit());
        Add("cmpxchg dw failure: memory unchanged", 7, St(MemSize.DW, R10, -8, 7), Mov64Imm(R0, 8), Mov64Imm(R1, 42), AtomicCmpXchg(MemSize.DW, R10, R1, -8), Ldx(MemSize.DW, R0, R10, -8), Exit());
        Add("cmpxchg dw failure: r0 = old", 7, St(MemSize.DW, R10, -8, 7), Mov64Imm(R0, 8), Mov64Imm(R1, 42), AtomicCmpXchg(MemSize.DW, R10, R1, -8), Exit());
        Add("cmpxchg w compares low 32 bits of r0", 42, St(MemSize.W, R10, -4, 7), LoadImm64(R0, 0x5_0000_0007), Mov64Imm(R1, 42), AtomicCmpXchg(MemSize.W, R10, R1, -4), Ldx(MemSize.W, R0, R10, -4), Exit());
        Add("cmpxchg w zero-extends r0", 0xffff_fff9, St(MemSize.W, R10, -4, -7), Mov64Imm(R0, 0), Mov64Imm(R1, 1), AtomicCmpXchg(MemSize.W, R10, R1, -4), Exit());
        Add("cmpxchg src unchanged", 42, St(MemSize.DW, R10, -8, 7), Mov64Imm(R0, 7), Mov64Imm(R1, 42), AtomicCmpXchg(MemSize.DW, R10, R1, -8), Mov64Reg(R0, R1), Exit());

        // ---- bpf-to-bpf calls
        Add("local call returns r0", 42,
            Mov64Imm(R1, 40), CallLocal(1), Exit(),
            Mov64Reg(R0, R1), Alu64Imm(AluOp.Add, R0, 2), Exit());
        Add("local call preserves r6-r9", 6 + 7 + 8 + 9,
            Mov64Imm(R6, 6), Mov64Imm(R7, 7), Mov64Imm(R8, 8), Mov64Imm(R9, 9), CallLocal(6),
            Mov64Reg(R0, R6), Alu64Reg(AluOp.Add, R0, R7), Alu64Reg(AluOp.Add, R0, R8), Alu64Reg(AluOp.Add, R0, R9), Exit(),
            Mov64Imm(R6, 100), Mov64Imm(R7, 100), Mov64Imm(R8, 100), Mov64Imm(R9, 100), Exit());
        Add("local call has its own 512-byte frame", 111,
            St(MemSize.DW, R10, -8, 111), CallLocal(2), Ldx(MemSize.DW, R0, R10, -8), Exit(),
            St(MemSize.DW, R10, -8, 222), Exit());
        Add("callee frame is 512 bytes below the caller's", 512,
            Mov64Reg(R6, R10), CallLocal(3), Alu64Reg(AluOp.Sub, R6, R0), Mov64Reg(R0, R6), Exit(),
            Mov64Reg(R0, R10), Exit());
        Add("callee sees the caller's stack through a pointer", 77,
            St(MemSize.DW, R10, -8, 77), Mov64Reg(R1, R10), Alu64Imm(AluOp.Add, R1, -8), CallLocal(1), Exit(),
            Ldx(MemSize.DW, R0, R1, 0), Exit());
        Add("nested calls", 3,
            Mov64Imm(R0, 0), CallLocal(1), Exit(),
            CallLocal(2), Alu64Imm(AluOp.Add, R0, 1), Exit(),
            Mov64Imm(R0, 2), Exit());
        Add("callx through a function pointer", 9,
            LoadFunc(R2, 6), Mov64Imm(R1, 4), Callx(R2), Exit(),
            Mov64Imm(R0, 0), Exit(),
            Mov64Reg(R0, R1), Alu64Imm(AluOp.Add, R0, 5), Exit());
    }

    private static void Atomic(string name, MemSize size, AtomicOp op, ulong initial, ulong operand, ulong expectMemory, ulong expectSrc)
    {
        int off = size == MemSize.DW ? -8 : -4;
        Add(name + ": memory", expectMemory,
            St(MemSize.DW, R10, -8, 0), LoadImm64(R1, (long)initial), Stx(size, R10, R1, off),
            LoadImm64(R2, (long)operand), Insns.Atomic(size, op, R10, R2, off), Ldx(size, R0, R10, off), Exit());
        Add(name + ": src", expectSrc,
            St(MemSize.DW, R10, -8, 0), LoadImm64(R1, (long)initial), Stx(size, R10, R1, off),
            LoadImm64(R2, (long)operand), Insns.Atomic(size, op, R10, R2, off), Mov64Reg(R0, R2), Exit());
    }

    private static void Jumps()
    {
        // (op, a, b, taken64, taken32)
        var table = new (JmpOp Op, long A, long B, bool T64, bool T32)[]
        {
            (JmpOp.Jeq, 5, 5, true, true), (JmpOp.Jeq, 0x1_0000_0005, 5, false, true),
            (JmpOp.Jne, 5, 6, true, true), (JmpOp.Jne, 0x1_0000_0005, 5, true, false),
            (JmpOp.Jgt, -1, 1, true, true), (JmpOp.Jgt, 1, 1, false, false), (JmpOp.Jgt, 0x1_0000_0000, 1, true, false),
            (JmpOp.Jge, 1, 1, true, true), (JmpOp.Jge, 0, 1, false, false),
            (JmpOp.Jlt, 1, -1, true, true), (JmpOp.Jlt, 1, 1, false, false),
            (JmpOp.Jle, 1, 1, true, true), (JmpOp.Jle, 2, 1, false, false),
            (JmpOp.Jsgt, 1, -1, true, true), (JmpOp.Jsgt, -1, 1, false, false), (JmpOp.Jsgt, 0x8000_0000, 0, true, false),
            (JmpOp.Jsge, -1, -1, true, true), (JmpOp.Jsge, -2, -1, false, false),
            (JmpOp.Jslt, -1, 1, true, true), (JmpOp.Jslt, 1, -1, false, false), (JmpOp.Jslt, 0x8000_0000, 0, false, true),
            (JmpOp.Jsle, -1, -1, true, true), (JmpOp.Jsle, 0, -1, false, false),
            (JmpOp.Jset, 0b1010, 0b0010, true, true), (JmpOp.Jset, 0b1010, 0b0101, false, false), (JmpOp.Jset, 0x1_0000_0000, 0x1_0000_0000, true, false),
        };
        int n = 0;
        foreach (var (op, a, b, t64, t32) in table)
        {
            n++;
            foreach (bool is32 in new[] { false, true })
            {
                bool taken = is32 ? t32 : t64;
                string w = is32 ? "32" : "64";
                Add($"{op}{w} #{n} reg {a:x} {b:x}", taken ? 1UL : 0UL,
                    Mov64Imm(R0, 0), LoadImm64(R1, a), LoadImm64(R2, b),
                    is32 ? Jmp32(op, R1, R2, 1) : Jmp(op, R1, R2, 1), Exit(), Mov64Imm(R0, 1), Exit());
                if (b >= int.MinValue && b <= int.MaxValue)
                    Add($"{op}{w} #{n} imm {a:x} {b:x}", taken ? 1UL : 0UL,
                        Mov64Imm(R0, 0), LoadImm64(R1, a),
                        is32 ? Jmp32Imm(op, R1, (int)b, 1) : JmpImm(op, R1, (int)b, 1), Exit(), Mov64Imm(R0, 1), Exit());
            }
        }
        // 64-bit immediates sign-extend before an unsigned compare
        Add("jeq64 imm -1 matches all ones", 1, Mov64Imm(R0, 0), Mov64Imm(R1, -1), JmpImm(JmpOp.Jeq, R1, -1, 1), Exit(), Mov64Imm(R0, 1), Exit());
    }
}
