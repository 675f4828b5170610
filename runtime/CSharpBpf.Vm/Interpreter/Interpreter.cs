using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CSharpBpf.Object.Isa;
using CSharpBpf.Vm.Execution;

namespace CSharpBpf.Vm.Interpreter;

/// <summary>
/// The switch interpreter. Registers live in the program's pinned register file, whose slots
/// past r10 hold each instruction's pre-extended immediate, so K and X forms share one case and
/// no case branches on the source kind. The budget is charged per straight-line run, after each
/// transfer of control (see <see cref="DecodedProgram.Charge"/>), exactly as the JIT charges it.
/// bpf-to-bpf calls save r1..r10 of the caller and give the callee a fresh 512-byte frame;
/// the callee starts with r0 and r6..r9 zero, as the JIT's fresh locals do.
/// </summary>
internal static unsafe class Interpreter
{
    public static ulong Run(BpfMachine m, VmProgram program, ulong r1, ulong r2, ulong fp)
    {
        var dp = program.Decoded;
        ulong* f = (ulong*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(dp.File));
        DecodedInsn* code = (DecodedInsn*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(dp.Code));
        int* charge = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(dp.Charge));
        int baseDepth = m.Depth;
        new Span<ulong>(f, DecodedProgram.RegisterCount).Clear();
        f[1] = r1;
        f[2] = r2;
        f[10] = fp;
        int pc = 0;
        if ((m.Budget -= charge[0]) < 0) throw m.BudgetExhausted(0);
        while (true)
        {
            DecodedInsn* ins = code + pc;
            switch (ins->Op)
            {
                // ------------------------------------------------ ALU64
                case Uop.Add64: f[ins->D] += f[ins->S]; pc++; continue;
                case Uop.Sub64: f[ins->D] -= f[ins->S]; pc++; continue;
                case Uop.Mul64: f[ins->D] *= f[ins->S]; pc++; continue;
                case Uop.Div64: f[ins->D] = AluSemantics.Div64(f[ins->D], f[ins->S]); pc++; continue;
                case Uop.SDiv64: f[ins->D] = AluSemantics.SDiv64(f[ins->D], f[ins->S]); pc++; continue;
                case Uop.Or64: f[ins->D] |= f[ins->S]; pc++; continue;
                case Uop.And64: f[ins->D] &= f[ins->S]; pc++; continue;
                case Uop.Lsh64: f[ins->D] <<= (int)f[ins->S]; pc++; continue; // C# masks the count with 63, as RFC 9669 requires
                case Uop.Rsh64: f[ins->D] >>= (int)f[ins->S]; pc++; continue;
                case Uop.Neg64: f[ins->D] = unchecked(0UL - f[ins->D]); pc++; continue;
                case Uop.Mod64: f[ins->D] = AluSemantics.Mod64(f[ins->D], f[ins->S]); pc++; continue;
                case Uop.SMod64: f[ins->D] = AluSemantics.SMod64(f[ins->D], f[ins->S]); pc++; continue;
                case Uop.Xor64: f[ins->D] ^= f[ins->S]; pc++; continue;
                case Uop.Mov64: f[ins->D] = f[ins->S]; pc++; continue;
                case Uop.Arsh64: f[ins->D] = (ulong)((long)f[ins->D] >> (int)f[ins->S]); pc++; continue;
                case Uop.Movsx64x8: f[ins->D] = (ulong)(long)(sbyte)f[ins->S]; pc++; continue;
                case Uop.Movsx64x16: f[ins->D] = (ulong)(long)(short)f[ins->S]; pc++; continue;
                case Uop.Movsx64x32: f[ins->D] = (ulong)(long)(int)f[ins->S]; pc++; continue;
                case Uop.Bswap16: case Uop.Be16: f[ins->D] = BinaryPrimitives.ReverseEndianness((ushort)f[ins->D]); pc++; continue;
                case Uop.Bswap32: case Uop.Be32: f[ins->D] = BinaryPrimitives.ReverseEndianness((uint)f[ins->D]); pc++; continue;
                case Uop.Bswap64: case Uop.Be64: f[ins->D] = BinaryPrimitives.ReverseEndianness(f[ins->D]); pc++; continue;

                // ------------------------------------------------ ALU32 (results zero-extended)
                case Uop.Add32: f[ins->D] = (uint)f[ins->D] + (uint)f[ins->S]; pc++; continue;
                case Uop.Sub32: f[ins->D] = (uint)f[ins->D] - (uint)f[ins->S]; pc++; continue;
                case Uop.Mul32: f[ins->D] = (uint)f[ins->D] * (uint)f[ins->S]; pc++; continue;
                case Uop.Div32: f[ins->D] = AluSemantics.Div32(f[ins->D], f[ins->S]); pc++; continue;
                case Uop.SDiv32: f[ins->D] = AluSemantics.SDiv32(f[ins->D], f[ins->S]); pc++; continue;
                case Uop.Or32: f[ins->D] = (uint)f[ins->D] | (uint)f[ins->S]; pc++; continue;
                case Uop.And32: f[ins->D] = (uint)f[ins->D] & (uint)f[ins->S]; pc++; continue;
                case Uop.Lsh32: f[ins->D] = (uint)f[ins->D] << (int)f[ins->S]; pc++; continue; // masked with 31
                case Uop.Rsh32: f[ins->D] = (uint)f[ins->D] >> (int)f[ins->S]; pc++; continue;
                case Uop.Neg32: f[ins->D] = unchecked(0u - (uint)f[ins->D]); pc++; continue;
                case Uop.Mod32: f[ins->D] = AluSemantics.Mod32(f[ins->D], f[ins->S]); pc++; continue;
                case Uop.SMod32: f[ins->D] = AluSemantics.SMod32(f[ins->D], f[ins->S]); pc++; continue;
                case Uop.Xor32: f[ins->D] = (uint)f[ins->D] ^ (uint)f[ins->S]; pc++; continue;
                case Uop.Mov32: f[ins->D] = (uint)f[ins->S]; pc++; continue;
                case Uop.Arsh32: f[ins->D] = (uint)((int)f[ins->D] >> (int)f[ins->S]); pc++; continue;
                case Uop.Movsx32x8: f[ins->D] = (uint)(int)(sbyte)f[ins->S]; pc++; continue;
                case Uop.Movsx32x16: f[ins->D] = (uint)(int)(short)f[ins->S]; pc++; continue;
                case Uop.Le16: f[ins->D] = (ushort)f[ins->D]; pc++; continue;
                case Uop.Le32: f[ins->D] = (uint)f[ins->D]; pc++; continue;
                case Uop.Le64: pc++; continue;

                // ------------------------------------------------ jumps
                case Uop.Ja: pc = ins->Target; break;
                case Uop.Jeq64: pc = f[ins->D] == f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jgt64: pc = f[ins->D] > f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jge64: pc = f[ins->D] >= f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jset64: pc = (f[ins->D] & f[ins->S]) != 0 ? ins->Target : pc + 1; break;
                case Uop.Jne64: pc = f[ins->D] != f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jsgt64: pc = (long)f[ins->D] > (long)f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jsge64: pc = (long)f[ins->D] >= (long)f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jlt64: pc = f[ins->D] < f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jle64: pc = f[ins->D] <= f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jslt64: pc = (long)f[ins->D] < (long)f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jsle64: pc = (long)f[ins->D] <= (long)f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jeq32: pc = (uint)f[ins->D] == (uint)f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jgt32: pc = (uint)f[ins->D] > (uint)f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jge32: pc = (uint)f[ins->D] >= (uint)f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jset32: pc = ((uint)f[ins->D] & (uint)f[ins->S]) != 0 ? ins->Target : pc + 1; break;
                case Uop.Jne32: pc = (uint)f[ins->D] != (uint)f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jsgt32: pc = (int)f[ins->D] > (int)f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jsge32: pc = (int)f[ins->D] >= (int)f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jlt32: pc = (uint)f[ins->D] < (uint)f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jle32: pc = (uint)f[ins->D] <= (uint)f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jslt32: pc = (int)f[ins->D] < (int)f[ins->S] ? ins->Target : pc + 1; break;
                case Uop.Jsle32: pc = (int)f[ins->D] <= (int)f[ins->S] ? ins->Target : pc + 1; break;

                // ------------------------------------------------ calls
                case Uop.CallHelper:
                    f[0] = m.CallHelper(ins->Imm, f[1], f[2], f[3], f[4], f[5], pc);
                    pc++;
                    break;
                case Uop.CallKfunc:
                    f[0] = m.CallKfunc(ins->Imm, f[1], f[2], f[3], f[4], f[5], pc);
                    pc++;
                    break;
                case Uop.TailCall:
                {
                    var target = m.TryTailCall(f[2], f[3], pc);
                    if (target is null)
                    {
                        pc++;
                        break;
                    }
                    ulong ctx = f[1], frame = f[10];
                    program = target;
                    dp = target.Decoded;
                    f = (ulong*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(dp.File));
                    code = (DecodedInsn*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(dp.Code));
                    charge = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(dp.Charge));
                    new Span<ulong>(f, DecodedProgram.RegisterCount).Clear();
                    f[1] = ctx;
                    f[10] = frame;
                    pc = 0;
                    break;
                }
                case Uop.CallLocal:
                case Uop.Callx:
                {
                    int target = ins->Op == Uop.CallLocal ? ins->Target : m.ResolveFunction(program, f[ins->D], pc);
                    ulong newFp = m.EnterFrame(pc);
                    int slot = m.Depth - 1;
                    new Span<ulong>(f + 1, 10).CopyTo(m.SavedRegisters.AsSpan(slot * 10, 10));
                    m.SavedReturnPc[slot] = pc + 1;
                    m.SavedProgram[slot] = program;
                    f[0] = 0;
                    f[6] = f[7] = f[8] = f[9] = 0;
                    f[10] = newFp;
                    pc = target;
                    break;
                }
                case Uop.Exit:
                {
                    if (m.Depth == baseDepth) return f[0];
                    int slot = m.Depth - 1;
                    ulong r0 = f[0];
                    var caller = m.SavedProgram[slot]!;
                    if (caller != program)
                    {
                        // A tail call inside the callee replaced its program; return into the caller's.
                        program = caller;
                        dp = caller.Decoded;
                        m.CurrentProgram = caller;
                        f = (ulong*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(dp.File));
                        code = (DecodedInsn*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(dp.Code));
                        charge = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(dp.Charge));
                    }
                    m.SavedRegisters.AsSpan(slot * 10, 10).CopyTo(new Span<ulong>(f + 1, 10));
                    m.SavedProgram[slot] = null;
                    f[0] = r0;
                    pc = m.SavedReturnPc[slot];
                    m.LeaveFrame();
                    break;
                }

                // ------------------------------------------------ 64-bit immediate
                case Uop.LdImm64: f[ins->D] = f[ins->S]; pc += 2; continue;

                // ------------------------------------------------ memory
                case Uop.Ldx8: f[ins->D] = m.Load(f[ins->S] + (ulong)(long)ins->Off, 1, pc); pc++; continue;
                case Uop.Ldx16: f[ins->D] = m.Load(f[ins->S] + (ulong)(long)ins->Off, 2, pc); pc++; continue;
                case Uop.Ldx32: f[ins->D] = m.Load(f[ins->S] + (ulong)(long)ins->Off, 4, pc); pc++; continue;
                case Uop.Ldx64: f[ins->D] = m.Load(f[ins->S] + (ulong)(long)ins->Off, 8, pc); pc++; continue;
                case Uop.Ldsx8: f[ins->D] = (ulong)(long)(sbyte)m.Load(f[ins->S] + (ulong)(long)ins->Off, 1, pc); pc++; continue;
                case Uop.Ldsx16: f[ins->D] = (ulong)(long)(short)m.Load(f[ins->S] + (ulong)(long)ins->Off, 2, pc); pc++; continue;
                case Uop.Ldsx32: f[ins->D] = (ulong)(long)(int)m.Load(f[ins->S] + (ulong)(long)ins->Off, 4, pc); pc++; continue;
                case Uop.St8: case Uop.Stx8: m.Store(f[ins->D] + (ulong)(long)ins->Off, 1, f[ins->S], pc); pc++; continue;
                case Uop.St16: case Uop.Stx16: m.Store(f[ins->D] + (ulong)(long)ins->Off, 2, f[ins->S], pc); pc++; continue;
                case Uop.St32: case Uop.Stx32: m.Store(f[ins->D] + (ulong)(long)ins->Off, 4, f[ins->S], pc); pc++; continue;
                case Uop.St64: case Uop.Stx64: m.Store(f[ins->D] + (ulong)(long)ins->Off, 8, f[ins->S], pc); pc++; continue;
                case Uop.Atomic32:
                case Uop.Atomic64:
                {
                    ulong v = m.Atomic(ins->Imm, ins->Op == Uop.Atomic32 ? 4 : 8, f[ins->D] + (ulong)(long)ins->Off, f[ins->S], ref f[0], pc);
                    if (ins->Imm != (int)AtomicOp.CmpXchg) f[ins->S] = v;
                    pc++;
                    continue;
                }
                case Uop.LdAbs8: f[0] = m.LegacyPacketLoad(ins->Imm, 1, pc); pc++; continue;
                case Uop.LdAbs16: f[0] = m.LegacyPacketLoad(ins->Imm, 2, pc); pc++; continue;
                case Uop.LdAbs32: f[0] = m.LegacyPacketLoad(ins->Imm, 4, pc); pc++; continue;
                case Uop.LdInd8: f[0] = m.LegacyPacketLoad((int)((uint)ins->Imm + (uint)f[ins->S]), 1, pc); pc++; continue;
                case Uop.LdInd16: f[0] = m.LegacyPacketLoad((int)((uint)ins->Imm + (uint)f[ins->S]), 2, pc); pc++; continue;
                case Uop.LdInd32: f[0] = m.LegacyPacketLoad((int)((uint)ins->Imm + (uint)f[ins->S]), 4, pc); pc++; continue;

                default:
                    throw BpfMachine.Invalid(program, pc);
            }
            // Every transfer of control lands here: charge the straight run that starts at pc.
            if ((m.Budget -= charge[pc]) < 0) throw m.BudgetExhausted(pc);
        }
    }
}
