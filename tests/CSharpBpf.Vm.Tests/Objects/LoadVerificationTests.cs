using System.IO;
using System.Linq;
using CSharpBpf.TestSupport;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Host;
using Xunit;

namespace CSharpBpf.Vm.Tests.Objects;

/// <summary>
/// Objects pass through the managed verifier on their way into the VM (DESIGN: ELF → BpfObject →
/// Verifier → Vm), so a unit test cannot pass on code the kernel would refuse.
/// </summary>
public sealed class LoadVerificationTests
{
    // clang-built, two programs the kernel refuses: a loop over a volatile counter that never
    // settles (sum_loop), and a socket program reading r2, which socket programs are not given.
    private static byte[] VmOnlyObject() =>
        File.ReadAllBytes(Path.Combine(RepoPaths.Root, "tests", "CSharpBpf.Cli.Tests", "RunFixtures", "run_sum.bpf.o"));

    [Fact]
    public void A_program_the_verifier_refuses_does_not_load_and_the_error_names_it()
    {
        using var host = new BpfTestHost(ExecutionEngine.Jit);
        var e = Assert.Throws<BpfProgramRejectedException>(() => host.LoadObject(VmOnlyObject()));
        Assert.Equal("sum_loop", e.ProgramName);
        Assert.Equal("unbounded_loop", e.Errors[0].Code);
        Assert.Equal(4, e.Errors[0].InstructionIndex);
        Assert.Contains("sum_loop", e.Message);
        Assert.Contains("insn 4", e.Message);
        Assert.Contains("VerifyObjects = false", e.Message);
        Assert.Empty(host.Maps);
    }

    [Fact]
    public void With_verification_off_the_same_object_runs_in_checked_mode()
    {
        using var host = new BpfTestHost(ExecutionEngine.Jit) { VerifyObjects = false };
        var obj = host.LoadObject(VmOnlyObject());
        Assert.Empty(host.LastVerification);
        // 0 + 1 + … + 999 = 499500, of which the program returns the low 16 bits
        Assert.Equal(499500 & 0xffff, host.RunXdp(obj.Program("sum_loop"), new byte[16]).Verdict);
    }

    [Fact]
    public void An_accepted_object_loads_with_its_verdicts_and_statistics_kept()
    {
        using var host = new BpfTestHost();
        var obj = host.LoadObject(File.ReadAllBytes(RepoPaths.Fixture("calls_globals.bpf.o")));
        var verdict = Assert.Single(host.LastVerification, v => v.ProgramName == "xdp_filter");
        Assert.True(verdict.IsAccepted);
        Assert.True(verdict.Statistics.ProcessedInstructions > 0);
        Assert.Equal(XdpContext.XdpPass, host.RunXdp(obj.Program("xdp_filter"), new byte[30]).Verdict);
    }
}
