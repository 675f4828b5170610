using System;

namespace CSharpBpf.Object.Isa;

/// <summary>
/// Named register numbers, so call sites read <c>Insns.Mov64Imm(Reg.R0, 0)</c>.
/// R10 is the read-only frame pointer.
/// </summary>
public static class Reg
{
    public const byte R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7, R8 = 8, R9 = 9, R10 = 10;
    public const byte FramePointer = 10;
}

/// <summary>
/// Factory for every instruction form of the RFC 9669 ISA, base through v4. Argument order follows
/// the kernel's BPF_* macros (dst before src, offset before imm for stores), so code translated from
/// C reads the same. Offsets are taken as <c>int</c> and range-checked to 16 bits, so callers
/// computing jump distances need no casts, and an out-of-range branch fails loudly here instead of
/// silently wrapping.
/// </summary>
public static class Insns
{
    const byte Alu64 = (byte)InstructionClass.Alu64;
    const byte Alu32 = (byte)InstructionClass.Alu;
    const byte X = (byte)SourceOperand.X;
    const byte K = (byte)SourceOperand.K;

    // ---------------------------------------------------------------- ALU / ALU64

    /// <summary>ALU64 <paramref name="op"/> with an immediate: <c>dst op= imm</c> (imm sign-extended to 64 bits).</summary>
    public static Instruction Alu64Imm(AluOp op, byte dst, int imm) => Make((byte)(Alu64 | K | (byte)op), dst, 0, 0, imm);

    /// <summary>ALU64 <paramref name="op"/> with a register: <c>dst op= src</c>.</summary>
    public static Instruction Alu64Reg(AluOp op, byte dst, byte src) => Make((byte)(Alu64 | X | (byte)op), dst, src, 0, 0);

    /// <summary>32-bit ALU with an immediate: <c>wdst op= imm</c>, upper half of dst zeroed.</summary>
    public static Instruction Alu32Imm(AluOp op, byte dst, int imm) => Make((byte)(Alu32 | K | (byte)op), dst, 0, 0, imm);

    /// <summary>32-bit ALU with a register: <c>wdst op= wsrc</c>.</summary>
    public static Instruction Alu32Reg(AluOp op, byte dst, byte src) => Make((byte)(Alu32 | X | (byte)op), dst, src, 0, 0);

    public static Instruction Mov64Imm(byte dst, int imm) => Alu64Imm(AluOp.Mov, dst, imm);
    public static Instruction Mov64Reg(byte dst, byte src) => Alu64Reg(AluOp.Mov, dst, src);
    public static Instruction Mov32Imm(byte dst, int imm) => Alu32Imm(AluOp.Mov, dst, imm);
    public static Instruction Mov32Reg(byte dst, byte src) => Alu32Reg(AluOp.Mov, dst, src);

    /// <summary><c>dst = -dst</c> (64-bit).</summary>
    public static Instruction Neg64(byte dst) => Alu64Imm(AluOp.Neg, dst, 0);

    /// <summary><c>wdst = -wdst</c> (32-bit).</summary>
    public static Instruction Neg32(byte dst) => Alu32Imm(AluOp.Neg, dst, 0);

    /// <summary>
    /// v4 signed division/modulo: DIV or MOD with offset 1. <paramref name="op"/> must be
    /// <see cref="AluOp.Div"/> or <see cref="AluOp.Mod"/>.
    /// </summary>
    public static Instruction SignedAlu64Imm(AluOp op, byte dst, int imm) => WithSigned(Alu64Imm(CheckDivMod(op), dst, imm));
    public static Instruction SignedAlu64Reg(AluOp op, byte dst, byte src) => WithSigned(Alu64Reg(CheckDivMod(op), dst, src));
    public static Instruction SignedAlu32Imm(AluOp op, byte dst, int imm) => WithSigned(Alu32Imm(CheckDivMod(op), dst, imm));
    public static Instruction SignedAlu32Reg(AluOp op, byte dst, byte src) => WithSigned(Alu32Reg(CheckDivMod(op), dst, src));

    public static Instruction SDiv64Imm(byte dst, int imm) => SignedAlu64Imm(AluOp.Div, dst, imm);
    public static Instruction SDiv64Reg(byte dst, byte src) => SignedAlu64Reg(AluOp.Div, dst, src);
    public static Instruction SDiv32Imm(byte dst, int imm) => SignedAlu32Imm(AluOp.Div, dst, imm);
    public static Instruction SDiv32Reg(byte dst, byte src) => SignedAlu32Reg(AluOp.Div, dst, src);
    public static Instruction SMod64Imm(byte dst, int imm) => SignedAlu64Imm(AluOp.Mod, dst, imm);
    public static Instruction SMod64Reg(byte dst, byte src) => SignedAlu64Reg(AluOp.Mod, dst, src);
    public static Instruction SMod32Imm(byte dst, int imm) => SignedAlu32Imm(AluOp.Mod, dst, imm);
    public static Instruction SMod32Reg(byte dst, byte src) => SignedAlu32Reg(AluOp.Mod, dst, src);

    /// <summary>v4 sign-extending move, 64-bit: <c>dst = (s8/s16/s32)src</c>; <paramref name="bits"/> is 8, 16 or 32.</summary>
    public static Instruction Movsx64(byte dst, byte src, int bits)
    {
        if (bits is not (8 or 16 or 32)) throw new ArgumentOutOfRangeException(nameof(bits), bits, "movsx64 extends from 8, 16 or 32 bits");
        return Mov64Reg(dst, src).WithOffset((short)bits);
    }

    /// <summary>v4 sign-extending move, 32-bit: <c>wdst = (s8/s16)wsrc</c>; <paramref name="bits"/> is 8 or 16.</summary>
    public static Instruction Movsx32(byte dst, byte src, int bits)
    {
        if (bits is not (8 or 16)) throw new ArgumentOutOfRangeException(nameof(bits), bits, "movsx32 extends from 8 or 16 bits");
        return Mov32Reg(dst, src).WithOffset((short)bits);
    }

    /// <summary>
    /// Arena pointer cast (ALU64 | MOV | X with offset 1): <c>dst = addr_space_cast(src, dstAs, srcAs)</c>,
    /// imm = dstAs &lt;&lt; 16 | srcAs.
    /// </summary>
    public static Instruction AddrSpaceCast(byte dst, byte src, ushort dstAddressSpace, ushort srcAddressSpace) =>
        Make((byte)(Alu64 | X | (byte)AluOp.Mov), dst, src, 1, dstAddressSpace << 16 | srcAddressSpace);

    /// <summary>v4 unconditional byte swap (ALU64 | END, imm = 16/32/64).</summary>
    public static Instruction Bswap(byte dst, int bits) => Make((byte)(Alu64 | K | (byte)AluOp.End), dst, 0, 0, CheckSwapWidth(bits));

    /// <summary>Convert dst to little-endian (ALU | END | K, "le16/32/64"); a truncation on little-endian hosts.</summary>
    public static Instruction ToLe(byte dst, int bits) => Make((byte)(Alu32 | K | (byte)AluOp.End), dst, 0, 0, CheckSwapWidth(bits));

    /// <summary>Convert dst to big-endian (ALU | END | X, "be16/32/64").</summary>
    public static Instruction ToBe(byte dst, int bits) => Make((byte)(Alu32 | X | (byte)AluOp.End), dst, 0, 0, CheckSwapWidth(bits));

    // ---------------------------------------------------------------- JMP / JMP32

    /// <summary>Conditional 64-bit jump comparing two registers: <c>if dst op src goto +off</c>.</summary>
    public static Instruction Jmp(JmpOp op, byte dst, byte src, int off) => Make((byte)((byte)InstructionClass.Jmp | X | (byte)CheckCond(op)), dst, src, Off(off), 0);

    /// <summary>Conditional 64-bit jump comparing a register with imm (sign-extended): <c>if dst op imm goto +off</c>.</summary>
    public static Instruction JmpImm(JmpOp op, byte dst, int imm, int off) => Make((byte)((byte)InstructionClass.Jmp | K | (byte)CheckCond(op)), dst, 0, Off(off), imm);

    /// <summary>Conditional 32-bit jump comparing two registers' low halves.</summary>
    public static Instruction Jmp32(JmpOp op, byte dst, byte src, int off) => Make((byte)((byte)InstructionClass.Jmp32 | X | (byte)CheckCond(op)), dst, src, Off(off), 0);

    /// <summary>Conditional 32-bit jump comparing a register's low half with imm.</summary>
    public static Instruction Jmp32Imm(JmpOp op, byte dst, int imm, int off) => Make((byte)((byte)InstructionClass.Jmp32 | K | (byte)CheckCond(op)), dst, 0, Off(off), imm);

    /// <summary>Unconditional jump with a 16-bit slot offset: <c>goto +off</c>.</summary>
    public static Instruction Ja(int off) => Make((byte)InstructionClass.Jmp | (byte)JmpOp.Ja, 0, 0, Off(off), 0);

    /// <summary>v4 unconditional jump with a 32-bit slot offset (JMP32 | JA, offset in imm): <c>gotol +off</c>.</summary>
    public static Instruction Gotol(int off) => Make((byte)InstructionClass.Jmp32 | (byte)JmpOp.Ja, 0, 0, 0, off);

    /// <summary>Call a helper function by its id: <c>call id</c>.</summary>
    public static Instruction CallHelper(int helperId) => Make(CallOpcode, 0, (byte)CallKind.Helper, 0, helperId);

    /// <summary>bpf-to-bpf call (src = 1); imm is the callee's slot offset relative to the next slot.</summary>
    public static Instruction CallLocal(int relOff) => Make(CallOpcode, 0, (byte)CallKind.Local, 0, relOff);

    /// <summary>
    /// kfunc call (src = 2): imm is the function's BTF id; offset is 0 for vmlinux or the index of the
    /// module BTF fd in the fd_array passed at program load.
    /// </summary>
    public static Instruction CallKfunc(int btfId, int moduleBtfFdIndex = 0) => Make(CallOpcode, 0, (byte)CallKind.Kfunc, Off(moduleBtfFdIndex), btfId);

    /// <summary>Indirect call (JMP | CALL | X) whose target slot is held in <paramref name="target"/> (encoded in dst, as LLVM does).</summary>
    public static Instruction Callx(byte target) => Make((byte)(CallOpcode | X), target, 0, 0, 0);

    /// <summary>Indirect jump (JMP | JA | X, LLVM 22 "gotox"): continue at the slot index held in <paramref name="target"/>.</summary>
    public static Instruction Gotox(byte target) => Make((byte)InstructionClass.Jmp | (byte)JmpOp.Ja | X, target, 0, 0, 0);

    /// <summary>JMP | JCOND "may_goto +off": the kernel may jump to break out of a loop (Linux 6.9+).</summary>
    public static Instruction MayGoto(int off) => Make((byte)InstructionClass.Jmp | (byte)JmpOp.Jcond, 0, 0, Off(off), 0);

    public static Instruction Exit() => Make((byte)InstructionClass.Jmp | (byte)JmpOp.Exit, 0, 0, 0, 0);

    // ---------------------------------------------------------------- LD / LDX / ST / STX

    /// <summary><c>dst = *(size *)(src + off)</c>, zero-extending.</summary>
    public static Instruction Ldx(MemSize size, byte dst, byte src, int off) => Make((byte)((byte)InstructionClass.Ldx | (byte)size | (byte)MemMode.Mem), dst, src, Off(off), 0);

    /// <summary>v4 sign-extending load <c>dst = *(s8/s16/s32 *)(src + off)</c>; DW is not a valid size.</summary>
    public static Instruction Ldsx(MemSize size, byte dst, byte src, int off)
    {
        if (size == MemSize.DW) throw new ArgumentOutOfRangeException(nameof(size), size, "sign-extending loads are 8, 16 or 32 bits");
        return Make((byte)((byte)InstructionClass.Ldx | (byte)size | (byte)MemMode.MemSx), dst, src, Off(off), 0);
    }

    /// <summary><c>*(size *)(dst + off) = src</c>.</summary>
    public static Instruction Stx(MemSize size, byte dst, byte src, int off) => Make((byte)((byte)InstructionClass.Stx | (byte)size | (byte)MemMode.Mem), dst, src, Off(off), 0);

    /// <summary><c>*(size *)(dst + off) = imm</c>.</summary>
    public static Instruction St(MemSize size, byte dst, int off, int imm) => Make((byte)((byte)InstructionClass.St | (byte)size | (byte)MemMode.Mem), dst, 0, Off(off), imm);

    /// <summary>Legacy packet load <c>r0 = ntoh(*(size *)(skb->data + imm))</c> (LD | ABS).</summary>
    public static Instruction LdAbs(MemSize size, int imm) => Make((byte)((byte)InstructionClass.Ld | (byte)CheckLegacySize(size) | (byte)MemMode.Abs), 0, 0, 0, imm);

    /// <summary>Legacy packet load <c>r0 = ntoh(*(size *)(skb->data + src + imm))</c> (LD | IND).</summary>
    public static Instruction LdInd(MemSize size, byte src, int imm) => Make((byte)((byte)InstructionClass.Ld | (byte)CheckLegacySize(size) | (byte)MemMode.Ind), 0, src, 0, imm);

    // ---------------------------------------------------------------- atomics

    /// <summary>
    /// Atomic read-modify-write on <c>*(size *)(dst + off)</c> with operand src (STX | ATOMIC, op in imm).
    /// <paramref name="size"/> is W or DW. Fetch forms put the old value in src; cmpxchg compares with r0
    /// and puts the old value in r0.
    /// </summary>
    public static Instruction Atomic(MemSize size, AtomicOp op, byte dst, byte src, int off)
    {
        if (size is not (MemSize.W or MemSize.DW)) throw new ArgumentOutOfRangeException(nameof(size), size, "atomic operations are 32 or 64 bits");
        return Make((byte)((byte)InstructionClass.Stx | (byte)size | (byte)MemMode.Atomic), dst, src, Off(off), (int)op);
    }

    public static Instruction AtomicAdd(MemSize size, byte dst, byte src, int off) => Atomic(size, AtomicOp.Add, dst, src, off);
    public static Instruction AtomicOr(MemSize size, byte dst, byte src, int off) => Atomic(size, AtomicOp.Or, dst, src, off);
    public static Instruction AtomicAnd(MemSize size, byte dst, byte src, int off) => Atomic(size, AtomicOp.And, dst, src, off);
    public static Instruction AtomicXor(MemSize size, byte dst, byte src, int off) => Atomic(size, AtomicOp.Xor, dst, src, off);
    public static Instruction AtomicFetchAdd(MemSize size, byte dst, byte src, int off) => Atomic(size, AtomicOp.FetchAdd, dst, src, off);
    public static Instruction AtomicFetchOr(MemSize size, byte dst, byte src, int off) => Atomic(size, AtomicOp.FetchOr, dst, src, off);
    public static Instruction AtomicFetchAnd(MemSize size, byte dst, byte src, int off) => Atomic(size, AtomicOp.FetchAnd, dst, src, off);
    public static Instruction AtomicFetchXor(MemSize size, byte dst, byte src, int off) => Atomic(size, AtomicOp.FetchXor, dst, src, off);
    public static Instruction AtomicXchg(MemSize size, byte dst, byte src, int off) => Atomic(size, AtomicOp.Xchg, dst, src, off);
    public static Instruction AtomicCmpXchg(MemSize size, byte dst, byte src, int off) => Atomic(size, AtomicOp.CmpXchg, dst, src, off);

    /// <summary><c>dst = load_acquire((size *)(src + off))</c>: STX | ATOMIC with imm 0x100, any size (Linux 6.15+).</summary>
    public static Instruction LoadAcquire(MemSize size, byte dst, byte src, int off) =>
        Make((byte)((byte)InstructionClass.Stx | (byte)size | (byte)MemMode.Atomic), dst, src, Off(off), (int)AtomicOp.LoadAcquire);

    /// <summary><c>store_release((size *)(dst + off), src)</c>: STX | ATOMIC with imm 0x110, any size (Linux 6.15+).</summary>
    public static Instruction StoreRelease(MemSize size, byte dst, byte src, int off) =>
        Make((byte)((byte)InstructionClass.Stx | (byte)size | (byte)MemMode.Atomic), dst, src, Off(off), (int)AtomicOp.StoreRelease);

    // ---------------------------------------------------------------- 64-bit immediate loads (two slots)

    /// <summary>
    /// The two slots of LD | IMM | DW with pseudo source <paramref name="kind"/>: first slot imm =
    /// <paramref name="imm"/>, second slot imm = <paramref name="nextImm"/>.
    /// </summary>
    public static Instruction[] LoadPseudo(byte dst, PseudoSource kind, int imm, int nextImm = 0) => new[]
    {
        Make(WideLoadOpcode, dst, (byte)kind, 0, imm),
        Make(0, 0, 0, 0, nextImm),
    };

    /// <summary><c>dst = imm64 ll</c> (src = 0).</summary>
    public static Instruction[] LoadImm64(byte dst, long value) => LoadPseudo(dst, PseudoSource.Imm64, unchecked((int)value), unchecked((int)(value >> 32)));

    /// <summary>dst = the map with this fd (src = BPF_PSEUDO_MAP_FD).</summary>
    public static Instruction[] LoadMapFd(byte dst, int fd) => LoadPseudo(dst, PseudoSource.MapFd, fd);

    /// <summary>dst = address of the map's value plus <paramref name="offset"/> (src = BPF_PSEUDO_MAP_VALUE).</summary>
    public static Instruction[] LoadMapValue(byte dst, int fd, int offset) => LoadPseudo(dst, PseudoSource.MapValue, fd, offset);

    /// <summary>dst = address of the kernel object with this BTF id (src = BPF_PSEUDO_BTF_ID, a ksym).</summary>
    public static Instruction[] LoadBtfId(byte dst, int btfId, int moduleBtfFd = 0) => LoadPseudo(dst, PseudoSource.BtfId, btfId, moduleBtfFd);

    /// <summary>dst = address of a bpf function; imm is its slot offset relative to the next slot (src = BPF_PSEUDO_FUNC).</summary>
    public static Instruction[] LoadFunc(byte dst, int relOff) => LoadPseudo(dst, PseudoSource.Func, relOff);

    /// <summary>dst = the map at this index of the load's fd_array (src = BPF_PSEUDO_MAP_IDX).</summary>
    public static Instruction[] LoadMapIndex(byte dst, int index) => LoadPseudo(dst, PseudoSource.MapIndex, index);

    /// <summary>dst = address of the value of the map at this fd_array index, plus offset (src = BPF_PSEUDO_MAP_IDX_VALUE).</summary>
    public static Instruction[] LoadMapIndexValue(byte dst, int index, int offset) => LoadPseudo(dst, PseudoSource.MapIndexValue, index, offset);

    // ---------------------------------------------------------------- helpers

    public const byte WideLoadOpcode = (byte)InstructionClass.Ld | (byte)MemSize.DW | (byte)MemMode.Imm;
    public const byte CallOpcode = (byte)InstructionClass.Jmp | (byte)JmpOp.Call;

    static Instruction Make(byte opcode, byte dst, byte src, short off, int imm)
    {
        if (dst > 10) throw new ArgumentOutOfRangeException(nameof(dst), dst, "eBPF has registers r0-r10");
        if (src > 10) throw new ArgumentOutOfRangeException(nameof(src), src, "eBPF has registers r0-r10 (or a pseudo source kind)");
        return new Instruction(opcode, dst, src, off, imm);
    }

    static short Off(int off)
    {
        if (off < short.MinValue || off > short.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(off), off, "the offset field is 16 bits; use Gotol for longer jumps");
        return (short)off;
    }

    static Instruction WithSigned(Instruction insn) => insn.WithOffset(1);

    static AluOp CheckDivMod(AluOp op) =>
        op is AluOp.Div or AluOp.Mod ? op : throw new ArgumentOutOfRangeException(nameof(op), op, "only div and mod have signed (offset 1) forms");

    static int CheckSwapWidth(int bits) =>
        bits is 16 or 32 or 64 ? bits : throw new ArgumentOutOfRangeException(nameof(bits), bits, "byte swaps are 16, 32 or 64 bits");

    static JmpOp CheckCond(JmpOp op) =>
        op is JmpOp.Ja or JmpOp.Call or JmpOp.Exit or JmpOp.Jcond
            ? throw new ArgumentOutOfRangeException(nameof(op), op, "use Ja/Gotol/Gotox/MayGoto, CallHelper/CallLocal/CallKfunc/Callx or Exit")
            : op;

    static MemSize CheckLegacySize(MemSize size) =>
        size == MemSize.DW ? throw new ArgumentOutOfRangeException(nameof(size), size, "LD_ABS/LD_IND load 8, 16 or 32 bits") : size;
}
