using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Benchmarks;

/// <summary>
/// The ISA text layer on a 1000-instruction program mixing every common form (ALU, loads and
/// stores, jumps, calls, 64-bit loads, atomics): decode the bytes, print llvm-objdump text, and
/// assemble the text back. No target; the numbers go in the ISA notes.
/// </summary>
[MemoryDiagnoser]
public class IsaTextBenchmarks
{
    private byte[] _bytes = System.Array.Empty<byte>();
    private Instruction[] _program = System.Array.Empty<Instruction>();
    private string _text = "";

    [GlobalSetup]
    public void Setup()
    {
        var p = new List<Instruction>();
        for (int i = 0; p.Count < 1000; i++)
        {
            p.Add(Insns.Mov64Imm(1, i));
            p.Add(Insns.Alu32Reg(AluOp.Add, 2, 1));
            p.Add(Insns.Ldx(MemSize.W, 3, 10, -8));
            p.Add(Insns.Stx(MemSize.DW, 10, 3, -16));
            p.Add(Insns.JmpImm(JmpOp.Jsgt, 1, 5, 2));
            p.AddRange(Insns.LoadMapFd(1, 3));
            p.Add(Insns.CallHelper(1));
            p.Add(Insns.AtomicFetchAdd(MemSize.DW, 0, 1, 0));
        }
        _program = p.ToArray();
        _bytes = InstructionCodec.Encode(_program);
        _text = Disassembler.ToText(_program);
    }

    [Benchmark]
    public Instruction[] Decode() => InstructionCodec.Decode(_bytes);

    [Benchmark]
    public string Disassemble() => Disassembler.ToText(_program, AsmSyntax.Llvm);

    [Benchmark]
    public Instruction[] Assemble() => Assembler.Assemble(_text);
}
