using System;
using System.Collections.Generic;
using CSharpBpf.Object.Isa;
using CSharpBpf.Vm;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Vm.Tests.Fuzz;

/// <summary>
/// Random instruction streams (fixed seed) run in checked mode on both engines: every run must end
/// in a result or a clean <see cref="BpfVmException"/> (never another exception, never a hang), and
/// the interpreter and the JIT must agree on r0, or on the error kind, instruction and address.
/// </summary>
public sealed class EngineAgreementFuzzTests
{
    private readonly ITestOutputHelper _out;

    public EngineAgreementFuzzTests(ITestOutputHelper output) => _out = output;

    private static readonly long[] Edges = { 0, 1, -1, 2, 7, 31, 32, 63, 64, 65, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue, 0xffff_ffff, 0x8000_0000, 0x1_0000_0000 };
    private static readonly int[] HelperIds = { 1, 2, 3, 5, 7, 8, 12, 14, 9999 };

    [Fact]
    public void Random_programs_end_cleanly_and_engines_agree()
    {
        var rng = new Random(20261122);
        int results = 0, errors = 0;
        var kinds = new Dictionary<VmErrorKind, int>();
        for (int n = 0; n < 4000; n++)
        {
            var program = RandomProgram(rng);
            var a = RunOn(ExecutionEngine.Interpreter, program);
            var b = RunOn(ExecutionEngine.Jit, program);
            if (a != b)
            {
                Assert.Fail($"program #{n} differs:\n  interpreter: {a}\n  jit:         {b}\n  program: {string.Join("\n    ", program)}");
            }
            if (a.StartsWith("r0=")) results++;
            else
            {
                errors++;
                var kind = Enum.Parse<VmErrorKind>(a.Substring(0, a.IndexOf(' ')));
                kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            }
        }
        _out.WriteLine($"results: {results}, clean errors: {errors} ({string.Join(", ", kinds)})");
        Assert.True(results > 400, $"too few programs ran to completion ({results}); the generator is too hostile to test semantics");
        Assert.True(kinds.ContainsKey(VmErrorKind.MemoryViolation) && kinds.ContainsKey(VmErrorKind.BudgetExhausted));
    }

    private static string RunOn(ExecutionEngine engine, Instruction[] program)
    {
        using var m = new BpfMachine(engine) { InstructionBudget = 20_000, Clock = () => 1_000_000 };
        var map = CSharpBpf.Vm.Maps.BpfMap.Create(m, new CSharpBpf.Vm.Maps.MapSpec("fuzz", CSharpBpf.Vm.Maps.BpfMapType.Hash, 4, 8, 4));
        try
        {
            var p = m.Load(program);
            ulong r0 = p.Run(0);
            return $"r0={r0:x} executed={m.InstructionsExecuted}";
        }
        catch (BpfVmException e)
        {
            return $"{e.Kind} at {e.InstructionIndex} addr={e.Address:x} region={e.Region}";
        }
    }

    private static byte RandomReg(Random r, bool allowR10 = true) => (byte)r.Next(allowR10 ? 11 : 10);

    private static int Imm(Random r) => r.Next(4) == 0 ? (int)Edges[r.Next(Edges.Length)] : r.Next(-100, 100);

    private static Instruction[] RandomProgram(Random r)
    {
        var list = new List<Instruction>();
        int length = r.Next(3, 40);
        // a usable pointer and some values to start from
        list.Add(Insns.Mov64Reg(Reg.R1, Reg.R10));
        list.Add(Insns.Alu64Imm(AluOp.Add, Reg.R1, -64));
        while (list.Count < length)
        {
            int remaining = length - list.Count;
            int pick = r.Next(100);
            byte d = RandomReg(r, allowR10: r.Next(20) == 0), s = RandomReg(r);
            if (pick < 30)
            {
                var op = (AluOp)(r.Next(13) << 4);
                bool is64 = r.Next(2) == 0, x = r.Next(2) == 0;
                if (op == AluOp.Neg) list.Add(is64 ? Insns.Neg64(d) : Insns.Neg32(d));
                else if ((op is AluOp.Div or AluOp.Mod) && r.Next(2) == 0)
                    list.Add(is64 ? (x ? Insns.SignedAlu64Reg(op, d, s) : Insns.SignedAlu64Imm(op, d, Imm(r))) : (x ? Insns.SignedAlu32Reg(op, d, s) : Insns.SignedAlu32Imm(op, d, Imm(r))));
                else if (op == AluOp.Mov && x && r.Next(3) == 0) list.Add(is64 ? Insns.Movsx64(d, s, new[] { 8, 16, 32 }[r.Next(3)]) : Insns.Movsx32(d, s, new[] { 8, 16 }[r.Next(2)]));
                else list.Add(is64 ? (x ? Insns.Alu64Reg(op, d, s) : Insns.Alu64Imm(op, d, Imm(r))) : (x ? Insns.Alu32Reg(op, d, s) : Insns.Alu32Imm(op, d, Imm(r))));
            }
            else if (pick < 36)
            {
                int w = new[] { 16, 32, 64 }[r.Next(3)];
                list.Add(r.Next(3) switch { 0 => Insns.Bswap(d, w), 1 => Insns.ToLe(d, w), _ => Insns.ToBe(d, w) });
            }
            else if (pick < 52)
            {
                var op = new[] { JmpOp.Jeq, JmpOp.Jgt, JmpOp.Jge, JmpOp.Jset, JmpOp.Jne, JmpOp.Jsgt, JmpOp.Jsge, JmpOp.Jlt, JmpOp.Jle, JmpOp.Jslt, JmpOp.Jsle }[r.Next(11)];
                int off = r.Next(-6, Math.Max(remaining, 1));
                bool is32 = r.Next(2) == 0;
                list.Add(r.Next(2) == 0 ? (is32 ? Insns.Jmp32(op, d, s, off) : Insns.Jmp(op, d, s, off)) : (is32 ? Insns.Jmp32Imm(op, d, Imm(r), off) : Insns.JmpImm(op, d, Imm(r), off)));
            }
            else if (pick < 54) list.Add(Insns.Ja(r.Next(-5, Math.Max(remaining, 1))));
            else if (pick < 68)
            {
                var size = (MemSize)(r.Next(4) << 3);
                byte b = r.Next(3) == 0 ? Reg.R10 : Reg.R1;
                int off = r.Next(-80, 16);
                list.Add(r.Next(4) switch
                {
                    0 => Insns.Ldx(size, d, b, off),
                    1 => Insns.Stx(size, b, s, off),
                    2 => Insns.St(size, b, off, Imm(r)),
                    _ => size == MemSize.DW ? Insns.Ldx(size, d, b, off) : Insns.Ldsx(size, d, b, off),
                });
            }
            else if (pick < 73)
            {
                var size = r.Next(2) == 0 ? MemSize.W : MemSize.DW;
                var op = new[] { AtomicOp.Add, AtomicOp.Or, AtomicOp.And, AtomicOp.Xor, AtomicOp.FetchAdd, AtomicOp.FetchOr, AtomicOp.FetchAnd, AtomicOp.FetchXor, AtomicOp.Xchg, AtomicOp.CmpXchg }[r.Next(10)];
                list.Add(Insns.Atomic(size, op, r.Next(2) == 0 ? Reg.R10 : Reg.R1, s, -8 * r.Next(1, 10)));
            }
            else if (pick < 78 && remaining >= 2) list.AddRange(Insns.LoadImm64(d, Edges[r.Next(Edges.Length)] ^ r.Next()));
            else if (pick < 82) list.Add(Insns.CallHelper(HelperIds[r.Next(HelperIds.Length)]));
            else if (pick < 86) list.Add(Insns.CallLocal(r.Next(-8, Math.Max(remaining, 1))));
            else if (pick < 90) list.Add(Insns.Exit());
            else if (pick < 92) list.AddRange(Insns.LoadMapFd(Reg.R1, 3));
            else if (pick < 94)
            {
                // raw garbage: any opcode, any fields
                list.Add(new Instruction((byte)r.Next(256), (byte)r.Next(16), (byte)r.Next(16), (short)r.Next(-8, 8), r.Next()));
            }
            else list.Add(Insns.Mov64Imm(Reg.R0, Imm(r)));
        }
        list.Add(Insns.Exit());
        return list.ToArray();
    }
}
