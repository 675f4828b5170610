using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;
using Case = CSharpBpf.Verifier.Tests.PacketDataChangeDifferentialTests.Case;

namespace CSharpBpf.Verifier.Tests;

/// <summary>
/// bpf_skb_pull_data (39) and bpf_skb_change_head (43) change packet data like the XDP adjust helpers: a tc program's packet pointers are
/// invalid after it. Recorded Linux 6.18 verdicts; the managed verifier and (as root) the kernel must give them.
/// </summary>
public class SkbPullDataDifferentialTests
{
    private readonly ITestOutputHelper _output;

    public SkbPullDataDifferentialTests(ITestOutputHelper output) => _output = output;

    private const string Prologue = @"
        r6 = r1
        r2 = *(u32 *)(r6 + 76)
        r3 = *(u32 *)(r6 + 80)
        r4 = r2
        r4 += 14
        if r4 > r3 goto out
        r7 = r2
        r1 = r6
        r2 = 14
        call 39
";

    private const string Out = @"
out:
        r0 = 0
        exit";

    public static IEnumerable<object[]> Cases() => new Case[]
    {
        new("reload and check after the pull", Prologue + @"
        r2 = *(u32 *)(r6 + 76)
        r3 = *(u32 *)(r6 + 80)
        r4 = r2
        r4 += 14
        if r4 > r3 goto out
        r0 = *(u8 *)(r2 + 13)
        r0 = 0
        exit" + Out, true, Type: VerifierProgramType.SchedCls),
        new("old data pointer after the pull", Prologue + @"
        r0 = *(u8 *)(r7 + 13)
        r0 = 0
        exit" + Out, false, VerifierErrorCodes.InvalidMemAccess, VerifierProgramType.SchedCls),
        new("old data pointer after change_head", Prologue.Replace("call 39", "r3 = 0\n        call 43") + @"
        r0 = *(u8 *)(r7 + 13)
        r0 = 0
        exit" + Out, false, VerifierErrorCodes.InvalidMemAccess, VerifierProgramType.SchedCls),
        new("reload and check after change_head", Prologue.Replace("call 39", "r3 = 0\n        call 43") + @"
        r2 = *(u32 *)(r6 + 76)
        r3 = *(u32 *)(r6 + 80)
        r4 = r2
        r4 += 14
        if r4 > r3 goto out
        *(u8 *)(r2 + 0) = 1
        r0 = 0
        exit" + Out, true, Type: VerifierProgramType.SchedCls),
        new("change_head not available to XDP", @"
        r2 = 14
        r3 = 0
        call 43
        r0 = 2
        exit", false, VerifierErrorCodes.UnknownHelper),
        new("not available to XDP", @"
        r2 = 14
        call 39
        r0 = 2
        exit", false, VerifierErrorCodes.UnknownHelper),
        new("not available to socket filters", @"
        r2 = 14
        call 39
        r0 = 1
        exit", false, VerifierErrorCodes.UnknownHelper, VerifierProgramType.SocketFilter),
    }.Select(c => new object[] { c });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Managed_verifier_gives_the_kernels_verdict(Case c)
    {
        var result = BpfVerifier.Verify(Assembler.Assemble(c.Asm), new VerifierProgramSpec(c.Type) { Name = "pull" });
        _output.WriteLine(string.Join("\n", result.Errors.Select(e => $"{e.InstructionIndex} {e.Code}: {e.Message}")));
        Assert.True(c.KernelAccepts == result.IsAccepted, $"{c.Name}: {string.Join("; ", result.Errors.Select(e => e.Message))}");
        if (c.Code != null) Assert.Equal(c.Code, result.Errors.Single().Code);
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Kernel_gives_the_recorded_verdict(Case c)
    {
        KernelSkip.UnlessBpfAllowed();
        var outcome = KernelLoader.Load(Assembler.Assemble(c.Asm), new VerifierProgramSpec(c.Type));
        _output.WriteLine(outcome.Log);
        Assert.True(c.KernelAccepts == outcome.Accepted,
            $"{c.Name}: kernel {(outcome.Accepted ? "accepted" : $"refused ({outcome.Errno})")}, recorded {(c.KernelAccepts ? "accept" : "reject")}\n{outcome.Log}");
    }
}
