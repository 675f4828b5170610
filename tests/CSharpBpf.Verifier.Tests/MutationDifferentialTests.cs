using System.Collections.Generic;
using System.IO;
using System.Linq;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;
using CSharpBpf.TestSupport;
using CSharpBpf.Verifier;
using Xunit;

namespace CSharpBpf.Verifier.Tests;

/// <summary>
/// Soundness against the kernel beyond the verdicts of working programs: each bare-loadable fixture program is
/// mutated (one conditional jump removed, so its check is skipped; a comparison made off by one; an added
/// constant off by one; or one memory access moved 8 bytes further)
/// and the managed verifier must give the kernel's verdict on every mutant.
/// </summary>
public class MutationDifferentialTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public MutationDifferentialTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    public static IEnumerable<object[]> Programs() => FixtureKernelDifferentialTests.Programs();

    private static IEnumerable<(string What, Instruction[] Code)> Mutants(IReadOnlyList<Instruction> program)
    {
        for (int i = 0; i < program.Count; i++)
        {
            var insn = program[i];
            if (i > 0 && program[i - 1].IsWideLoad) continue;
            if (insn.IsJump && insn.JmpOp is not (JmpOp.Ja or JmpOp.Call or JmpOp.Exit))
            {
                var m = program.ToArray();
                m[i] = new Instruction((byte)InstructionClass.Jmp, 0, 0, 0, 0); // ja +0: the check is gone
                yield return ($"insn {i}: condition removed", m);
                // Off-by-one: > becomes >=, < becomes <= and back (the classic bounds-check mistake).
                var swapped = insn.JmpOp switch
                {
                    JmpOp.Jgt => JmpOp.Jge, JmpOp.Jge => JmpOp.Jgt, JmpOp.Jlt => JmpOp.Jle, JmpOp.Jle => JmpOp.Jlt,
                    JmpOp.Jsgt => JmpOp.Jsge, JmpOp.Jsge => JmpOp.Jsgt, JmpOp.Jslt => JmpOp.Jsle, JmpOp.Jsle => JmpOp.Jslt,
                    _ => (JmpOp?)null,
                };
                if (swapped is { } op)
                {
                    var s = program.ToArray();
                    s[i] = new Instruction((byte)((insn.Opcode & 0x0f) | (byte)op), insn.Dst, insn.Src, insn.Offset, insn.Imm);
                    yield return ($"insn {i}: {insn.JmpOp} -> {op}", s);
                }
            }
            if (insn.Class == InstructionClass.Alu64 && insn.AluOp == AluOp.Add && insn.Source == SourceOperand.K)
            {
                var m = program.ToArray();
                m[i] = insn.WithImm(insn.Imm + 1);
                yield return ($"insn {i}: add imm + 1", m);
            }
            if (insn.Class is InstructionClass.Ldx or InstructionClass.Stx or InstructionClass.St && insn.Mode == MemMode.Mem && insn.Offset < short.MaxValue - 8)
            {
                var m = program.ToArray();
                m[i] = insn.WithOffset((short)(insn.Offset + 8));
                yield return ($"insn {i}: offset +8", m);
            }
        }
    }

    public static IEnumerable<object[]> CorpusAccepts() => CorpusTests.AcceptCases();

    [SkippableTheory]
    [MemberData(nameof(CorpusAccepts))]
    public void Every_mutant_of_the_accept_corpus_gets_the_kernels_verdict(CorpusCase c)
    {
        KernelSkip.UnlessBpfAllowed();
        Check(c.Name, Assembler.Assemble(c.Asm), CorpusTests.SpecOf(c));
    }

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void Every_mutant_gets_the_kernels_verdict(string fixture, string program)
    {
        KernelSkip.UnlessBpfAllowed();
        var obj = BpfObjectFile.Read(File.ReadAllBytes(RepoPaths.Fixture(fixture)));
        var linked = BpfVerifier.Link(obj, obj.FindFunction(program)!)!;
        Check($"{fixture}/{program}", linked.Instructions, linked.Spec);
    }

    private void Check(string name, IReadOnlyList<Instruction> instructions, VerifierProgramSpec spec)
    {
        var linked = new LinkedProgram(instructions, spec);
        string fixture = name, program = "";
        var disagreements = new List<string>();
        int count = 0;
        foreach (var (what, code) in Mutants(linked.Instructions))
        {
            count++;
            var ours = BpfVerifier.Verify(code, linked.Spec);
            var kernel = KernelLoader.Load(code, linked.Spec);
            if (ours.IsAccepted != kernel.Accepted)
            {
                var lines = kernel.Log.TrimEnd().Split('\n');
                disagreements.Add($"{what}: managed {(ours.IsAccepted ? "accepts" : "rejects " + ours.Errors[0])}; kernel " +
                                  (kernel.Accepted ? "accepts" : $"rejects: {string.Join(" | ", lines.Skip(System.Math.Max(0, lines.Length - 3)))}"));
            }
        }
        _output.WriteLine($"MUTANTS {fixture}{program}: {count} mutants, {disagreements.Count} disagreements");
        Assert.True(disagreements.Count == 0, $"{fixture}{program}:\n" + string.Join("\n", disagreements));
    }
}
