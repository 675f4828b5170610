using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport.RawBpf;

namespace CSharpBpf.Compiler.Tests.Backend.Kernel;

/// <summary>
/// The backend and differential tests' view of raw bpf(2): load raw instructions, run them once through
/// BPF_PROG_TEST_RUN. A thin adapter with int fds over the helper the test projects share
/// (CSharpBpf.TestSupport.RawBpf), kept because several test files here use this shape; the compiler
/// test project must not depend on the loader (CSharpBpf.Linux).
/// </summary>
internal static class RawBpf
{
    public const int ProgTypeXdp = (int)ProgTypes.Xdp;
    public const int ProgTypeSocketFilter = (int)ProgTypes.SocketFilter;

    /// <summary>Loads the program and returns its fd (the caller closes it with <see cref="Close"/>); a refusal
    /// throws BpfSyscallException (an InvalidOperationException) carrying the verifier log.</summary>
    public static int Load(Instruction[] code, int progType = ProgTypeXdp, string license = "GPL") =>
        BpfSyscall.ProgLoad(new ProgLoadRequest((uint)progType, InstructionCodec.Encode(code)) { License = license })
            .ReleaseOwnership();

    /// <summary>Runs the program once on <paramref name="data"/>; returns r0 and the data after the run.</summary>
    public static (uint ret, byte[] dataOut) TestRun(int progFd, byte[] data)
    {
        using var borrowed = new RawBpfFd(progFd, ownsHandle: false);
        var r = BpfSyscall.TestRun(borrowed, data);
        return (r.Retval, r.DataOut);
    }

    public static void Close(int fd)
    {
        if (fd >= 0) new RawBpfFd(fd).Dispose();
    }
}
