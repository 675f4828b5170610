using System.Collections.Generic;
using System.Text;
using CSharpBpf.Object.Isa;
using CSharpBpf.Verifier;
using Xunit;

namespace CSharpBpf.Verifier.Tests;

/// <summary>Path exploration: the instruction limit, state pruning, and structural refusals.</summary>
public class ExplorationTests
{
    private static VerificationResult Xdp(string asm, int limit = 1_000_000) =>
        BpfVerifier.Verify(Assembler.Assemble(asm), new VerifierProgramSpec(VerifierProgramType.Xdp) { MaxProcessedInstructions = limit });

    [Fact]
    public void A_loop_longer_than_the_limit_is_too_complex()
    {
        const string loop = @"
            r1 = 0
        loop:
            r1 += 1
            if r1 < 1000 goto loop
            r0 = 2
            exit";
        Assert.True(Xdp(loop).IsAccepted);
        var r = Xdp(loop, limit: 500);
        Assert.False(r.IsAccepted);
        Assert.Equal(VerifierErrorCodes.TooComplex, r.Errors[0].Code);
        Assert.Contains("too large", r.Errors[0].Message);
        Assert.Equal(501, r.Statistics.ProcessedInstructions);
    }

    [Fact]
    public void Pruning_keeps_a_chain_of_diamonds_linear()
    {
        // 40 independent if/else diamonds: 2^40 paths unpruned; equal states meet at every join.
        var sb = new StringBuilder("call 7\nr6 = r0\nr7 = 0\n");
        for (int i = 0; i < 40; i++)
            sb.Append($"if r6 == {i} goto +1\nr8 = 0\n");
        sb.Append("r0 = 2\nexit\n");
        var r = Xdp(sb.ToString());
        Assert.True(r.IsAccepted, r.ToString());
        Assert.True(r.Statistics.ProcessedInstructions < 2_000, r.Statistics.ToString());
        Assert.True(r.Statistics.TotalStates > 0);
    }

    [Fact]
    public void Both_sides_of_an_undecided_branch_are_checked()
    {
        var r = Xdp(@"
            call 7
            if r0 > 10 goto +2
            r0 = 2
            exit
            r1 = *(u64 *)(r10 - 600)
            r0 = 2
            exit");
        Assert.False(r.IsAccepted);
        Assert.Equal(4, r.Errors[0].InstructionIndex);
    }

    [Fact]
    public void A_branch_decided_by_constants_is_not_explored()
    {
        // The store below is out of bounds but unreachable at run time: r1 is 5, never 6.
        var r = Xdp(@"
            r1 = 5
            if r1 != 6 goto +1
            *(u64 *)(r10 - 600) = r1
            r0 = 2
            exit");
        Assert.True(r.IsAccepted, r.ToString());
    }

    [Fact]
    public void Bounds_learned_on_a_copy_apply_to_the_original()
    {
        var r = BpfVerifier.Verify(Assembler.Assemble(@"
            r1 = 0
            *(u32 *)(r10 - 4) = r1
            r2 = r10
            r2 += -4
            ld_pseudo r1, 1, 8
            call 1
            if r0 == 0 goto +7
            r6 = r0
            call 7
            r1 = r0
            if r1 > 15 goto +3
            r6 += r0
            r0 = *(u8 *)(r6 + 0)
            exit
            r0 = 2
            exit"), new VerifierProgramSpec(VerifierProgramType.Xdp) { Maps = new Dictionary<int, MapDescriptor>(Corpus.Maps) });
        Assert.True(r.IsAccepted, r.ToString());
    }

    [Fact]
    public void Empty_program_and_bad_opcode_are_structural_errors()
    {
        var empty = BpfVerifier.Verify(new Instruction[0], new VerifierProgramSpec(VerifierProgramType.Xdp));
        Assert.Equal(VerifierErrorCodes.EmptyProgram, empty.Errors[0].Code);
        var bad = BpfVerifier.Verify(new[] { new Instruction(0xff, 0, 0, 0, 0), new Instruction(0x95, 0, 0, 0, 0) },
            new VerifierProgramSpec(VerifierProgramType.Xdp));
        Assert.Equal(VerifierErrorCodes.InvalidInstruction, bad.Errors[0].Code);
        Assert.Equal(0, bad.Errors[0].InstructionIndex);
    }

    [Fact]
    public void Source_locations_come_from_the_spec()
    {
        var r = BpfVerifier.Verify(Assembler.Assemble("r0 = r5\nexit"), new VerifierProgramSpec(VerifierProgramType.Xdp)
        {
            SourceLines = i => new SourceLocation("Prog.cs", 10 + i, 5, "return x;"),
        });
        Assert.Equal(new SourceLocation("Prog.cs", 10, 5, "return x;"), r.Errors[0].Source);
    }
}
