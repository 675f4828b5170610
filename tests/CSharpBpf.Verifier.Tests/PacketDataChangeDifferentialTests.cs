using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using CSharpBpf.TestSupport.RawBpf;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Verifier.Tests;

/// <summary>
/// bpf_xdp_adjust_head (44) / bpf_xdp_adjust_tail (65) change packet data: after the call every packet pointer the
/// program holds (registers and spilled slots, in every frame) is invalid, as the kernel's clear_all_pkt_pointers
/// makes it. Reloading ctx->data/data_end and checking the bounds again is accepted. Each case has the verdict
/// recorded for Linux 6.18; the managed verifier must give it and (as root) the kernel loading the same
/// instructions must give it too.
/// </summary>
public class PacketDataChangeDifferentialTests
{
    private readonly ITestOutputHelper _output;

    public PacketDataChangeDifferentialTests(ITestOutputHelper output) => _output = output;

    public sealed record Case(string Name, string Asm, bool KernelAccepts, string? Code = null,
        VerifierProgramType Type = VerifierProgramType.Xdp)
    {
        public override string ToString() => Name;
    }

    // r6 = ctx; r2/r3 = data/data_end with 14 bytes checked; then "{call}" and the rest.
    private const string Prologue = @"
        r6 = r1
        r2 = *(u32 *)(r6 + 0)
        r3 = *(u32 *)(r6 + 4)
        r4 = r2
        r4 += 14
        if r4 > r3 goto drop
        r7 = r2
";

    private const string Drop = @"
drop:
        r0 = 1
        exit";

    private const string Reload = @"
        r2 = *(u32 *)(r6 + 0)
        r3 = *(u32 *)(r6 + 4)
";

    private static string Call(int helper, int delta) => $@"
        r1 = r6
        r2 = {delta}
        call {helper}
";

    public static IEnumerable<object[]> Cases() => All().Select(c => new object[] { c });

    private static IEnumerable<Case> All()
    {
        foreach (int helper in new[] { 44, 65 })
        {
            int delta = helper == 44 ? -4 : -2;
            yield return new($"{helper}: reload, check, write", Prologue + Call(helper, delta) + Reload + @"
        r4 = r2
        r4 += 4
        if r4 > r3 goto drop
        r1 = 0x11
        *(u8 *)(r2 + 0) = r1
        r0 = 2
        exit" + Drop, true);
            yield return new($"{helper}: old data pointer read", Prologue + Call(helper, delta) + @"
        r0 = *(u8 *)(r7 + 0)
        r0 = 2
        exit" + Drop, false, VerifierErrorCodes.InvalidMemAccess);
            yield return new($"{helper}: reload without a new check", Prologue + Call(helper, delta) + Reload + @"
        r0 = *(u8 *)(r2 + 0)
        r0 = 2
        exit" + Drop, false, VerifierErrorCodes.PacketOutOfRange);
            yield return new($"{helper}: new data checked against the old data_end", Prologue + @"
        r8 = r3" + Call(helper, delta) + Reload + @"
        r4 = r2
        r4 += 4
        if r4 > r8 goto drop
        r0 = *(u8 *)(r2 + 0)
        r0 = 2
        exit" + Drop, false);
        }
        yield return new("spilled packet pointer is invalid after the call", Prologue + @"
        *(u64 *)(r10 - 8) = r7" + Call(44, -4) + @"
        r7 = *(u64 *)(r10 - 8)
        r0 = *(u8 *)(r7 + 0)
        r0 = 2
        exit" + Drop, false, VerifierErrorCodes.InvalidMemAccess);
        yield return new("pointer of the caller's frame is invalid after a static subprogram adjusts", Prologue + @"
        r1 = r6
        call sub
        r0 = *(u8 *)(r7 + 0)
        r0 = 2
        exit" + Drop + @"
sub:
        r2 = -4
        call 44
        r0 = 0
        exit", false, VerifierErrorCodes.InvalidMemAccess);
        yield return new("data, not ctx, as r1", Prologue + @"
        r1 = r7
        r2 = -4
        call 44
        r0 = 2
        exit" + Drop, false, VerifierErrorCodes.BadHelperArg);
        yield return new("scalar results are kept across the call", Prologue + @"
        r8 = *(u8 *)(r7 + 12)" + Call(44, 4) + @"
        r0 = r8
        r0 &= 3
        exit" + Drop, true);
        yield return new("not available to tc", @"
        r6 = r1
        r2 = -4
        call 44
        r0 = 0
        exit", false, VerifierErrorCodes.UnknownHelper, VerifierProgramType.SchedCls);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Managed_verifier_gives_the_kernels_verdict(Case c)
    {
        var result = BpfVerifier.Verify(Assembler.Assemble(c.Asm), new VerifierProgramSpec(c.Type) { Name = "adj" });
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

    // A global function that adjusts: the caller's packet pointers are gone after calling it (changes_pkt_data).
    public static IEnumerable<object[]> GlobalCases() => new[]
    {
        new object[] { new GlobalFunctionCase("global fn adjusts, caller reuses its old pointer", Prologue + @"
        r1 = r6
        call gfn
        r0 = *(u8 *)(r7 + 0)
        r0 = 2
        exit" + Drop + @"
gfn:
        r2 = -4
        call 44
        r0 = 0
        exit", false, new[] { ParamKind.Ctx }, Code: VerifierErrorCodes.InvalidMemAccess) },
        new object[] { new GlobalFunctionCase("global fn adjusts, caller reloads and checks", Prologue + @"
        r1 = r6
        call gfn" + Reload + @"
        r4 = r2
        r4 += 1
        if r4 > r3 goto drop
        r0 = *(u8 *)(r2 + 0)
        r0 = 2
        exit" + Drop + @"
gfn:
        r2 = -4
        call 44
        r0 = 0
        exit", true, new[] { ParamKind.Ctx }) },
        new object[] { new GlobalFunctionCase("global fn without packet helpers keeps the caller's pointer", Prologue + @"
        r1 = r6
        call gfn
        r0 = *(u8 *)(r7 + 0)
        r0 = 2
        exit" + Drop + @"
gfn:
        r0 = 0
        exit", true, new[] { ParamKind.Ctx }) },
    };

    [Theory]
    [MemberData(nameof(GlobalCases))]
    public void Managed_verifier_gives_the_kernels_verdict_for_global_functions(GlobalFunctionCase c)
    {
        var (btf, prog, gfn) = c.BuildBtf();
        var result = BpfVerifier.Verify(c.Program(), c.Spec(btf, prog, gfn));
        _output.WriteLine(string.Join("\n", result.Errors.Select(e => $"{e.InstructionIndex} {e.Code}: {e.Message}")));
        Assert.Equal(c.KernelAccepts, result.IsAccepted);
        if (c.Code != null) Assert.Equal(c.Code, result.Errors.Single().Code);
    }

    [SkippableTheory]
    [MemberData(nameof(GlobalCases))]
    public void Kernel_gives_the_recorded_verdict_for_global_functions(GlobalFunctionCase c)
    {
        KernelSkip.UnlessBpfAllowed();
        var (btf, prog, gfn) = c.BuildBtf();
        var outcome = BtfKernelLoader.Load(c.Program(), ProgTypes.Xdp, btf, c.KernelFuncInfo(prog, gfn));
        _output.WriteLine(outcome.Log);
        Assert.True(c.KernelAccepts == outcome.Accepted,
            $"{c.Name}: kernel {(outcome.Accepted ? "accepted" : $"refused ({outcome.Errno})")}, recorded {(c.KernelAccepts ? "accept" : "reject")}\n{outcome.Log}");
    }
}
