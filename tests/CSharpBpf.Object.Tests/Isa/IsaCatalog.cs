using System.Collections.Generic;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Object.Tests.Isa;

/// <summary>
/// One program holding every instruction form the factory can make, with edge values (negative,
/// extreme immediates and offsets, r10), built only through <see cref="Insns"/>. Round-trip and
/// llvm-conformance tests walk it instruction by instruction.
/// </summary>
internal static class IsaCatalog
{
    public static IReadOnlyList<Instruction[]> Entries { get; } = Build();

    public static Instruction[] Program()
    {
        var all = new List<Instruction>();
        foreach (var e in Entries) all.AddRange(e);
        return all.ToArray();
    }

    static List<Instruction[]> Build()
    {
        var l = new List<Instruction[]>();
        void Add(params Instruction[] slots) => l.Add(slots);

        var aluOps = new[] { AluOp.Add, AluOp.Sub, AluOp.Mul, AluOp.Div, AluOp.Or, AluOp.And, AluOp.Lsh, AluOp.Rsh, AluOp.Mod, AluOp.Xor, AluOp.Mov, AluOp.Arsh };
        foreach (var op in aluOps)
        {
            Add(Insns.Alu64Imm(op, 1, 5));
            Add(Insns.Alu64Imm(op, 0, -7));
            Add(Insns.Alu64Reg(op, 9, 10));
            Add(Insns.Alu32Imm(op, 2, 0x7fffffff));
            Add(Insns.Alu32Imm(op, 3, int.MinValue));
            Add(Insns.Alu32Reg(op, 4, 5));
        }
        Add(Insns.Mov64Imm(Reg.R0, 0));
        Add(Insns.Mov64Reg(Reg.R6, Reg.R1));
        Add(Insns.Mov32Imm(Reg.R1, -1));
        Add(Insns.Mov32Reg(Reg.R1, Reg.R2));
        Add(Insns.Neg64(3));
        Add(Insns.Neg32(4));
        Add(Insns.SDiv64Imm(1, 3)); Add(Insns.SDiv64Reg(1, 2)); Add(Insns.SDiv32Imm(1, -3)); Add(Insns.SDiv32Reg(1, 2));
        Add(Insns.SMod64Imm(1, 3)); Add(Insns.SMod64Reg(1, 2)); Add(Insns.SMod32Imm(1, 3)); Add(Insns.SMod32Reg(1, 2));
        foreach (int bits in new[] { 8, 16, 32 }) Add(Insns.Movsx64(1, 2, bits));
        foreach (int bits in new[] { 8, 16 }) Add(Insns.Movsx32(1, 2, bits));
        Add(Insns.AddrSpaceCast(1, 2, 1, 0));
        Add(Insns.AddrSpaceCast(1, 2, 0, 1));
        foreach (int bits in new[] { 16, 32, 64 })
        {
            Add(Insns.Bswap(1, bits));
            Add(Insns.ToLe(2, bits));
            Add(Insns.ToBe(3, bits));
        }

        var condOps = new[] { JmpOp.Jeq, JmpOp.Jgt, JmpOp.Jge, JmpOp.Jset, JmpOp.Jne, JmpOp.Jsgt, JmpOp.Jsge, JmpOp.Jlt, JmpOp.Jle, JmpOp.Jslt, JmpOp.Jsle };
        foreach (var op in condOps)
        {
            Add(Insns.JmpImm(op, 1, 5, 3));
            Add(Insns.Jmp(op, 1, 2, -1));
            Add(Insns.Jmp32Imm(op, 1, -5, 0x7fff));
            Add(Insns.Jmp32(op, 1, 2, -0x8000));
        }
        Add(Insns.Ja(1)); Add(Insns.Ja(-1)); Add(Insns.Ja(0));
        Add(Insns.Gotol(1)); Add(Insns.Gotol(-100000)); Add(Insns.Gotol(int.MaxValue));
        Add(Insns.Gotox(3));
        Add(Insns.MayGoto(2));
        Add(Insns.CallHelper(1)); Add(Insns.CallHelper(-1)); Add(Insns.CallHelper(212));
        Add(Insns.CallLocal(13)); Add(Insns.CallLocal(-3));
        Add(Insns.CallKfunc(0x1234)); Add(Insns.CallKfunc(0x1234, 2));
        Add(Insns.Callx(1));
        Add(Insns.Exit());

        foreach (var size in new[] { MemSize.B, MemSize.H, MemSize.W, MemSize.DW })
        {
            Add(Insns.Ldx(size, 0, 1, 4));
            Add(Insns.Ldx(size, 2, 10, -8));
            Add(Insns.Stx(size, 10, 3, -0x8000));
            Add(Insns.St(size, 1, 0x7fff, -5));
            Add(Insns.LoadAcquire(size, 1, 2, 8));
            Add(Insns.StoreRelease(size, 1, 2, -8));
            if (size != MemSize.DW)
            {
                Add(Insns.Ldsx(size, 1, 2, 6));
                Add(Insns.LdAbs(size, 14));
                Add(Insns.LdAbs(size, -1));
                Add(Insns.LdInd(size, 3, 0));
                Add(Insns.LdInd(size, 3, 4));
                Add(Insns.LdInd(size, 3, -4));
            }
        }
        foreach (var size in new[] { MemSize.W, MemSize.DW })
        {
            Add(Insns.AtomicAdd(size, 1, 2, 0));
            Add(Insns.AtomicOr(size, 1, 2, 8));
            Add(Insns.AtomicAnd(size, 1, 2, -8));
            Add(Insns.AtomicXor(size, 10, 2, -16));
            Add(Insns.AtomicFetchAdd(size, 1, 3, 0));
            Add(Insns.AtomicFetchOr(size, 1, 3, 4));
            Add(Insns.AtomicFetchAnd(size, 1, 3, 4));
            Add(Insns.AtomicFetchXor(size, 1, 3, 4));
            Add(Insns.AtomicXchg(size, 1, 4, 0));
            Add(Insns.AtomicCmpXchg(size, 1, 5, 0));
        }

        foreach (long v in new[] { 0L, 1L, -1L, 0x123456789L, long.MinValue, long.MaxValue, 0xffffffffL, -0x100000000L })
            Add(Insns.LoadImm64(1, v));
        Add(Insns.LoadMapFd(1, 3));
        Add(Insns.LoadMapValue(2, 3, 0));
        Add(Insns.LoadMapValue(2, 3, 16));
        Add(Insns.LoadBtfId(3, 0x4567));
        Add(Insns.LoadFunc(4, 20));
        Add(Insns.LoadFunc(4, -20));
        Add(Insns.LoadMapIndex(5, 0));
        Add(Insns.LoadMapIndexValue(6, 1, 0));
        Add(Insns.LoadMapIndexValue(6, 1, -8));
        return l;
    }
}
