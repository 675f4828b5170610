using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport.RawBpf;

namespace CSharpBpf.Benchmarks;

/// <summary>
/// The kernel side of the VM-vs-kernel benchmarks, over the raw bpf(2) helper the test projects
/// share (tests/CSharpBpf.TestSupport/RawBpf, compiled in here: see the csproj), so the comparison
/// does not go through CSharpBpf.Linux.
/// </summary>
internal static class VmKernelBpf
{
    /// <summary>Loads an XDP program; a refusal throws BpfSyscallException (an InvalidOperationException) with the verifier log.</summary>
    public static RawBpfFd LoadXdp(Instruction[] program) =>
        BpfSyscall.ProgLoad(new ProgLoadRequest(ProgTypes.Xdp, InstructionCodec.Encode(program)) { Name = "csbpf_vm_agree" });

    /// <summary>BPF_PROG_TEST_RUN: retval, the packet afterwards, and the kernel's average ns per run.</summary>
    public static (uint Retval, byte[] DataOut, uint DurationNs) TestRun(RawBpfFd prog, byte[] data, uint repeat = 1)
    {
        var r = BpfSyscall.TestRun(prog, data, repeat);
        return (r.Retval, r.DataOut, r.DurationNs);
    }

    /// <summary>CPU time this thread has consumed (CLOCK_THREAD_CPUTIME_ID), comparable to test_run's duration.</summary>
    public static long ThreadCpuNs() => ThreadClock.CpuNs();
}
