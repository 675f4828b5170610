using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using CSharpBpf.Verifier;
using Xunit;

namespace CSharpBpf.Verifier.Tests;

/// <summary>The corpus against the managed verifier and, when the process may load BPF, against the kernel.</summary>
public class CorpusTests
{
    public static IEnumerable<object[]> RejectCases() => Corpus.Rejects.Select(c => new object[] { c });
    public static IEnumerable<object[]> AcceptCases() => Corpus.Accepts.Select(c => new object[] { c });

    internal static VerifierProgramSpec SpecOf(CorpusCase c, bool? privileged = null) =>
        new(c.Type, c.Attach) { Name = c.Name, Maps = new Dictionary<int, MapDescriptor>(Corpus.Maps), Privileged = privileged ?? !c.Unprivileged };

    [Theory]
    [MemberData(nameof(RejectCases))]
    public void Reject_is_reported_with_its_code_and_instruction(CorpusCase c)
    {
        var r = BpfVerifier.Verify(Assembler.Assemble(c.Asm), SpecOf(c));
        Assert.False(r.IsAccepted, $"{c.Name} was accepted ({r.Statistics})");
        var e = r.Errors[0];
        Assert.True(c.Code == e.Code && c.Insn == e.InstructionIndex, $"{c.Name}: expected {c.Code} at {c.Insn}, got {e}");
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Theory]
    [MemberData(nameof(AcceptCases))]
    public void Accept_is_accepted(CorpusCase c)
    {
        var r = BpfVerifier.Verify(Assembler.Assemble(c.Asm), SpecOf(c));
        Assert.True(r.IsAccepted, r.ToString());
        Assert.True(r.Statistics.ProcessedInstructions > 0);
    }

    /// <summary>
    /// The kernel (loading as root, so with the privileged rules) gives the same verdict as the managed verifier
    /// run with <see cref="VerifierProgramSpec.Privileged"/>: rejects for every reject, except the cases that are
    /// only refused unprivileged, which both accept.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(RejectCases))]
    public void Kernel_agrees_on_rejects(CorpusCase c)
    {
        KernelSkip.UnlessBpfAllowed();
        var program = Assembler.Assemble(c.Asm);
        var ours = BpfVerifier.Verify(program, SpecOf(c, privileged: true));
        var outcome = KernelLoader.Load(program, SpecOf(c, privileged: true));
        Assert.Equal(!c.Unprivileged, !ours.IsAccepted);
        Assert.True(ours.IsAccepted == outcome.Accepted,
            $"{c.Name}: managed verifier {(ours.IsAccepted ? "accepts" : "rejects")}, kernel {(outcome.Accepted ? "accepts" : "rejects")}:\n{outcome.Log}");
    }

    [Theory]
    [MemberData(nameof(RejectCases))]
    public void Unprivileged_only_rejects_are_accepted_privileged(CorpusCase c)
    {
        var r = BpfVerifier.Verify(Assembler.Assemble(c.Asm), SpecOf(c, privileged: true));
        Assert.Equal(c.Unprivileged, r.IsAccepted);
    }

    [SkippableTheory]
    [MemberData(nameof(AcceptCases))]
    public void Kernel_also_accepts(CorpusCase c)
    {
        KernelSkip.UnlessBpfAllowed();
        var outcome = KernelLoader.Load(Assembler.Assemble(c.Asm), SpecOf(c));
        Assert.True(outcome.Accepted, $"{c.Name}: kernel refused (errno {outcome.Errno}):\n{outcome.Log}");
    }
}
